/**
 * `npm run -s token -- <who>` prints a signed API token. <who> is a demo employee's number (BT003),
 * key (hrOfficer), role (hr, manager, hr_director, executive, …) or any employee id.
 */
import { signToken } from '../api/auth';
import { settingsFrom } from '../domain/settings';
import { DEMO, findDemoEmployee } from '../prisma/seed-data';

async function main(): Promise<void> {
  const ref = process.argv[2];
  const settings = settingsFrom(process.env);
  const employee = ref ? findDemoEmployee(ref) : undefined;
  const uuid = ref && /^[0-9a-f-]{36}$/i.test(ref) ? ref : undefined;
  if (!employee && !uuid) {
    const people = Object.values(DEMO.employees).map((e) => `  ${e.employeeNo}  ${e.key.padEnd(16)} ${e.name}  ${e.roles.filter((r) => r !== 'employee').join(', ')}`);
    console.error(`usage: npm run -s token -- <employee number | key | role | employee id>\n\ndemo employees:\n${people.join('\n')}`);
    process.exit(2);
  }
  const token = await signToken(settings.auth, employee?.id ?? uuid!);
  if (employee) console.error(`token for ${employee.name} (${employee.employeeNo}, ${employee.roles.join(', ')})`);
  console.log(token);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
