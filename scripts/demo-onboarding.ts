/**
 * On the first `npm start`, a new collector part-way through onboarding (DOMAIN.md §6), entered
 * through the API as HR, the hire and the trainer would. The API takes a start date at most a week
 * back and counts the steps from the registration, so the hire is registered today with per-flow
 * settings in which the culture attestation and the documents fall due a second after the
 * registration, on the elapsed clock: two of the hire's steps are overdue at once, the others
 * keep their usual days. The hire confirms one document (late); the trainer has scored a passing
 * drill and logged two of the four coaching sessions; HR's enrolment waits in HR's inbox.
 */
import type { AuthSettings } from '../api/auth';
import { DEFAULT_ONBOARDING, type RegisterOnboardingRequest } from '../domain/onboarding';
import { DEFAULT_CHASING, type FlowSettingsOverrides } from '../domain/settings';
import type { Db } from '../prisma/db';
import { DEMO } from '../prisma/seed-data';
import { caller } from './demo-stability';
import { eventually } from './handover-driver';

const people = DEMO.employees;
const HIRE = { employeeNo: 'BT101', name: '林晓雨', email: 'linxiaoyu@baton.example', locale: 'zh-CN' as const };
/** The demo's two steps due a second after registration, on the elapsed clock; the rest as usual. */
export const DEMO_ONBOARDING_SETTINGS: FlowSettingsOverrides = {
  onboarding: { due: { ...DEFAULT_ONBOARDING.due, culture: 'PT1S', documents: 'PT1S' } },
  chasing: { onboarding_culture: { ...DEFAULT_CHASING.onboarding_culture, clock: 'elapsed' }, onboarding_document: { ...DEFAULT_CHASING.onboarding_document, clock: 'elapsed' } },
};
const DOCUMENTS = [
  { title: '催收合规法规 Collection law', kind: 'law', summary: '不得骚扰、恐吓债务人 No harassing or threatening debtors' },
  { title: '岗位职责 Collector duties', kind: 'duties', summary: '催收员的日常职责与考核 A collector’s daily duties and targets' },
];
/** Today in the company's time zone (UTC+8), as a calendar day. */
const companyToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Enters the demo hire once; returns what it entered, for the start-up message. */
export async function ensureDemoOnboarding(db: Db, apiUrl: string, auth: AuthSettings): Promise<string[]> {
  if ((await db.onboarding.count()) > 0) return [];
  const hr = caller(apiUrl, auth, 'hrOfficer');
  const trainer = caller(apiUrl, auth, 'trainer');
  const documentIds: string[] = [];
  for (const d of DOCUMENTS) documentIds.push((await hr<{ id: string }>('POST', '/documents', d)).id);
  const registration: RegisterOnboardingRequest & { settings: FlowSettingsOverrides } = {
    person: HIRE,
    departmentId: DEMO.departments.collection.id,
    managerId: people.collectionHead.id,
    trainerId: people.trainer.id,
    startDate: companyToday(),
    documentIds,
    settings: DEMO_ONBOARDING_SETTINGS,
  };
  const { employeeId, flowId } = await hr<{ employeeId: string; flowId: string }>('POST', '/onboardings', registration);
  const open = (type: string) => eventually(async () => (await db.task.findFirst({ where: { flowId, type, status: 'open' } })) ?? undefined, `the demo hire's ${type} task`);
  await open('onboarding_document');
  await caller(apiUrl, auth, { id: employeeId })('POST', `/onboardings/${employeeId}/documents`, { documentId: documentIds[0], version: 1 });
  await open('onboarding_drill');
  const scores = Object.fromEntries(DEFAULT_ONBOARDING.drillCriteria.map((c, i) => [c.key, 3 + (i % 2)]));
  await trainer('POST', `/onboardings/${employeeId}/drills`, { scenario: '逾期 30 天的客户承诺下周还款 A debtor 30 days late promises to pay next week', scores });
  await open('onboarding_coaching');
  for (const notes of ['合规话术逐句讲解 The lawful wording, line by line', '旁听三通电话后复盘 Three calls listened in, then reviewed']) {
    await trainer('POST', `/onboardings/${employeeId}/coaching`, { heldOn: companyToday(), notes });
  }
  return [`${HIRE.name}'s onboarding, two steps overdue: /onboardings/${employeeId}`];
}
