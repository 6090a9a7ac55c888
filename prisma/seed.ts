// Writes the demo organisation (prisma/seed-data.ts) to the database. Idempotent and safe to run
// on every start, also concurrently: it only inserts what is missing and never overwrites what the
// running system may have changed since (an account a handover reassigned, an employee who left,
// a manager or department head changed later). Run directly: DATABASE_URL=… npx tsx prisma/seed.ts

import { createDb, type Db } from './db';
import { DEMO, demoDepartments, demoEmployees, employeeByKey } from './seed-data';

export interface SeedCounts {
  departments: number;
  employees: number;
  accounts: number;
}

/** 'YYYY-MM-DD' → the Date Prisma expects for a @db.Date column. */
const dateOnly = (day: string): Date => new Date(`${day}T00:00:00.000Z`);

/**
 * Inserts the demo departments, employees and accounts that are missing, in one transaction.
 * Returns how many of the demo rows exist afterwards (the same numbers on every run); throws if
 * some could not be inserted because another row already holds their code, number or email.
 */
export async function seedDemoOrganisation(db: Db): Promise<SeedCounts> {
  const departments = demoDepartments();
  const employees = demoEmployees();
  const accounts = DEMO.accounts;
  const ids = {
    departments: departments.map((d) => d.id),
    employees: employees.map((e) => e.id),
    accounts: accounts.map((a) => a.id),
  };

  return db.$transaction(
    async (tx) => {
      // Departments and employees reference each other (department.head_id and admin_owner_id,
      // employee.department_id), and employees reference each other (manager_id): insert without
      // those links, then fill them in where they are still empty.
      await tx.department.createMany({
        data: departments.map((d) => ({ id: d.id, code: d.code, name: d.name, nameEn: d.nameEn })),
        skipDuplicates: true,
      });

      await tx.employee.createMany({
        data: employees.map((e) => ({
          id: e.id,
          employeeNo: e.employeeNo,
          name: e.name,
          email: e.email,
          locale: e.locale,
          departmentId: e.departmentId,
          managerId: null,
          roles: [...e.roles],
        })),
        skipDuplicates: true,
      });

      const presentEmployees = await tx.employee.count({ where: { id: { in: ids.employees } } });
      if (presentEmployees !== employees.length) {
        const present = new Set(
          (await tx.employee.findMany({ where: { id: { in: ids.employees } }, select: { id: true } })).map((e) => e.id),
        );
        const missing = employees.filter((e) => !present.has(e.id)).map((e) => `${e.key} (${e.employeeNo}, ${e.email})`);
        throw new Error(`seed: demo employees could not be inserted, their employee number or email is taken: ${missing.join(', ')}`);
      }

      for (const e of employees) {
        if (e.managerId === null) continue;
        await tx.employee.updateMany({ where: { id: e.id, managerId: null }, data: { managerId: e.managerId } });
      }
      for (const d of departments) {
        await tx.department.updateMany({ where: { id: d.id, headId: null }, data: { headId: employeeByKey(d.headKey).id } });
        await tx.department.updateMany({ where: { id: d.id, adminOwnerId: null }, data: { adminOwnerId: employeeByKey(d.adminOwnerKey).id } });
      }

      // Existing accounts are left exactly as they are (assignee, arrears, contact dates).
      await tx.account.createMany({
        data: accounts.map((a) => ({
          id: a.id,
          accountNo: a.accountNo,
          unit: a.unit,
          ownerName: a.ownerName,
          arrearsFen: a.arrearsFen,
          lastContactAt: a.lastContactAt === null ? null : new Date(a.lastContactAt),
          promisedPaymentOn: a.promisedPaymentOn === null ? null : dateOnly(a.promisedPaymentOn),
          assigneeId: employeeByKey(a.assigneeKey).id,
        })),
        skipDuplicates: true,
      });

      const counts: SeedCounts = {
        departments: await tx.department.count({ where: { id: { in: ids.departments } } }),
        employees: presentEmployees,
        accounts: await tx.account.count({ where: { id: { in: ids.accounts } } }),
      };
      if (counts.departments !== departments.length) {
        throw new Error(`seed: ${departments.length - counts.departments} demo department(s) could not be inserted, their code is taken`);
      }
      if (counts.accounts !== accounts.length) {
        throw new Error(`seed: ${accounts.length - counts.accounts} demo account(s) could not be inserted, their account number is taken`);
      }
      return counts;
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('seed: DATABASE_URL is not set (e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/baton npm run db:seed)');
    process.exitCode = 1;
    return;
  }
  const db = createDb(url, 2);
  try {
    const counts = await seedDemoOrganisation(db);
    console.log(`seed: ${counts.departments} departments, ${counts.employees} employees, ${counts.accounts} accounts`);
  } finally {
    await db.$disconnect();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('seed failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
