// Invariants of the demo organisation (no database).
import {
  DEMO,
  DEMO_EMPLOYEE_KEYS,
  demoAccountsOf,
  demoDepartments,
  demoEmployees,
  employeeByKey,
  findDemoEmployee,
  type DemoEmployee,
  type DemoEmployeeKey,
} from '../prisma/seed-data';

const employees = demoEmployees();
const byId = new Map(employees.map((e) => [e.id, e]));
const departmentIds = new Set(demoDepartments().map((d) => d.id));

function expectUnique(values: readonly string[]): void {
  const seen = new Set<string>();
  const duplicates = values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
  expect(duplicates).toEqual([]);
}

describe('demo employees', () => {
  it('are keyed by their own key, with every expected key present', () => {
    expect(Object.keys(DEMO.employees).sort()).toEqual([...DEMO_EMPLOYEE_KEYS].sort());
    for (const [key, e] of Object.entries(DEMO.employees)) expect(e.key).toBe(key);
    expect(employees).toHaveLength(15);
  });

  it('have unique ids, employee numbers and emails in the expected formats', () => {
    expectUnique(employees.map((e) => e.id));
    expectUnique(employees.map((e) => e.employeeNo));
    expectUnique(employees.map((e) => e.email.toLowerCase()));
    for (const e of employees) {
      expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(e.employeeNo).toMatch(/^BT\d{3}$/);
      expect(e.email).toMatch(/^[a-z]+@baton\.example$/);
      expect(e.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      expect(['zh-CN', 'en']).toContain(e.locale);
      expect(departmentIds.has(e.departmentId)).toBe(true);
    }
    const english = employees.filter((e) => e.locale === 'en');
    expect(english.length).toBeGreaterThanOrEqual(1);
    expect(english.length).toBeLessThanOrEqual(2);
  });

  it('all hold the employee role, with no role listed twice', () => {
    for (const e of employees) {
      expect(e.roles).toContain('employee');
      expectUnique(e.roles);
    }
  });

  it('form one reporting tree: managers exist, one top, no cycle', () => {
    for (const e of employees) {
      if (e.managerId !== null) {
        expect(byId.has(e.managerId)).toBe(true);
        expect(e.managerId).not.toBe(e.id);
      }
    }
    const tops = employees.filter((e) => e.managerId === null);
    expect(tops.map((e) => e.key)).toEqual(['ceo']);

    for (const start of employees) {
      const visited = new Set<string>();
      let current: DemoEmployee | undefined = start;
      while (current && current.managerId !== null) {
        expect(visited.has(current.id)).toBe(false); // a cycle would revisit
        visited.add(current.id);
        current = byId.get(current.managerId);
      }
      expect(current?.key).toBe('ceo'); // every chain ends at the top
    }
  });

  it('are listed managers-first, so they can be inserted in order', () => {
    const seen = new Set<string>();
    for (const e of employees) {
      if (e.managerId !== null) expect(seen.has(e.managerId)).toBe(true);
      seen.add(e.id);
    }
  });

  it('report as the organisation chart says', () => {
    const managerOf = (key: DemoEmployeeKey): string | undefined => {
      const id = employeeByKey(key).managerId;
      return id === null ? undefined : byId.get(id)?.key;
    };
    expect(managerOf('ceo')).toBeUndefined();
    expect(managerOf('vicePresident')).toBe('ceo');
    expect(managerOf('hrDirector')).toBe('ceo');
    expect(managerOf('admin')).toBe('ceo');
    for (const k of ['hrOfficer', 'hrAssistant', 'trainer'] as const) expect(managerOf(k)).toBe('hrDirector');
    for (const k of ['collectionHead', 'serviceHead', 'engineeringHead'] as const) expect(managerOf(k)).toBe('vicePresident');
    for (const k of ['collectorA', 'collectorB', 'collectorC'] as const) {
      expect(managerOf(k)).toBe('collectionHead');
      expect(employeeByKey(k).departmentId).toBe('dept-collection');
    }
    expect(managerOf('serviceRep')).toBe('serviceHead');
    expect(managerOf('engineer')).toBe('engineeringHead');
  });

  it('hold the roles the approval chains need', () => {
    const holders = (role: string): string[] => employees.filter((e) => (e.roles as readonly string[]).includes(role)).map((e) => e.key);
    expect(holders('executive').length).toBeGreaterThanOrEqual(2); // executive countersign
    expect(holders('executive')).toEqual(expect.arrayContaining(['ceo', 'vicePresident']));
    expect(holders('hr_director')).toEqual(['hrDirector']);
    expect(holders('hr')).toEqual(expect.arrayContaining(['hrOfficer', 'hrAssistant']));
    expect(holders('trainer')).toContain('trainer');
    expect(holders('admin')).toContain('admin');
    for (const d of demoDepartments()) expect(employeeByKey(d.headKey).roles).toContain('manager');
  });
});

describe('demo departments', () => {
  it('are the five expected departments with unique ids and codes', () => {
    const list = demoDepartments();
    expect(list.map((d) => d.id).sort()).toEqual(
      ['dept-collection', 'dept-customer-service', 'dept-engineering', 'dept-hr', 'dept-management'],
    );
    expectUnique(list.map((d) => d.id));
    expectUnique(list.map((d) => d.code));
    expect(DEMO.departments.collection).toMatchObject({ code: 'COLL', name: '收费催收部', nameEn: 'Fee Collection' });
  });

  it('each have an existing head who belongs to that department', () => {
    for (const d of demoDepartments()) {
      const head = DEMO.employees[d.headKey];
      expect(head).toBeDefined();
      expect(byId.get(head.id)).toBe(head);
      expect(head.departmentId).toBe(d.id);
    }
    expect(DEMO.departments.management.headKey).toBe('ceo');
    expect(DEMO.departments.hr.headKey).toBe('hrDirector');
    expect(DEMO.departments.collection.headKey).toBe('collectionHead');
  });

  it('each have an administrative owner for their training rooms, who is not the system operator', () => {
    for (const d of demoDepartments()) {
      expect(DEMO.employees[d.adminOwnerKey]).toBeDefined();
      expect(DEMO.employees[d.adminOwnerKey].roles).not.toContain('admin');
    }
  });

  it('every department has at least one member', () => {
    for (const d of demoDepartments()) expect(employees.some((e) => e.departmentId === d.id)).toBe(true);
  });
});

describe('demo accounts', () => {
  const accounts = DEMO.accounts;

  it('each have exactly one assignee, an existing collector', () => {
    for (const a of accounts) {
      expect(DEMO_EMPLOYEE_KEYS).toContain(a.assigneeKey);
      expect(employeeByKey(a.assigneeKey).departmentId).toBe('dept-collection');
    }
  });

  it('form portfolios of 320 / 40 / 25', () => {
    expect(demoAccountsOf('collectorA').length).toBeGreaterThanOrEqual(300);
    expect(demoAccountsOf('collectorA')).toHaveLength(320);
    expect(demoAccountsOf('collectorB')).toHaveLength(40);
    expect(demoAccountsOf('collectorC')).toHaveLength(25);
    expect(accounts).toHaveLength(385);
  });

  it('have unique ids, account numbers and units', () => {
    expectUnique(accounts.map((a) => a.id));
    expectUnique(accounts.map((a) => a.accountNo));
    expectUnique(accounts.map((a) => a.unit));
    for (const a of accounts) {
      expect(a.id).toMatch(/^acct-\d{4}$/);
      expect(a.accountNo).toMatch(/^AC-2026-\d{4}$/);
      expect(a.unit).toMatch(/^\S+ \d+栋\d+单元 \d{3,4}$/);
      expect(a.ownerName).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
    }
  });

  it('have arrears that are positive integers in fen, between 300 and 30,000 CNY', () => {
    for (const a of accounts) {
      expect(Number.isSafeInteger(a.arrearsFen)).toBe(true);
      expect(a.arrearsFen).toBeGreaterThan(0);
      expect(a.arrearsFen).toBeGreaterThanOrEqual(300 * 100);
      expect(a.arrearsFen).toBeLessThanOrEqual(30_000 * 100);
    }
  });

  it('have valid contact and promise dates, a promise only after a contact', () => {
    for (const a of accounts) {
      if (a.lastContactAt !== null) {
        const at = new Date(a.lastContactAt);
        expect(at.toISOString()).toBe(a.lastContactAt);
        expect(at.getUTCFullYear()).toBeGreaterThanOrEqual(2025);
        expect(at.getUTCFullYear()).toBeLessThanOrEqual(2026);
      }
      if (a.promisedPaymentOn !== null) {
        expect(a.promisedPaymentOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(new Date(`${a.promisedPaymentOn}T00:00:00Z`).toISOString().slice(0, 10)).toBe(a.promisedPaymentOn);
        expect(a.lastContactAt).not.toBeNull();
        expect(a.promisedPaymentOn >= (a.lastContactAt ?? '').slice(0, 10)).toBe(true);
      }
    }
    // Some variety: not all null, not all set.
    expect(accounts.some((a) => a.lastContactAt === null)).toBe(true);
    expect(accounts.some((a) => a.promisedPaymentOn !== null)).toBe(true);
  });

  it('are deterministic', () => {
    jest.isolateModules(() => {
      const again = require('../prisma/seed-data') as typeof import('../prisma/seed-data');
      expect(again.DEMO).not.toBe(DEMO);
      expect(again.DEMO.accounts).toEqual(DEMO.accounts);
    });
  });
});

describe('findDemoEmployee', () => {
  it('resolves employee numbers, ids, keys and emails', () => {
    for (const e of employees) {
      expect(findDemoEmployee(e.employeeNo)).toBe(e);
      expect(findDemoEmployee(e.employeeNo.toLowerCase())).toBe(e);
      expect(findDemoEmployee(e.id)).toBe(e);
      expect(findDemoEmployee(e.key)).toBe(e);
      expect(findDemoEmployee(e.email)).toBe(e);
      expect(employeeByKey(e.key)).toBe(e);
    }
    expect(findDemoEmployee('BT001')?.key).toBe('ceo');
    expect(findDemoEmployee('hrOfficer')?.key).toBe('hrOfficer');
  });

  it('resolves role names to the most specific holder', () => {
    expect(findDemoEmployee('hr')?.key).toBe('hrOfficer');
    expect(findDemoEmployee('manager')?.key).toBe('collectionHead');
    expect(findDemoEmployee('executive')?.key).toBe('ceo');
    expect(findDemoEmployee('hr_director')?.key).toBe('hrDirector');
    expect(findDemoEmployee('trainer')?.key).toBe('trainer');
    expect(findDemoEmployee('admin')?.key).toBe('admin');
    expect(findDemoEmployee('employee')?.key).toBe('collectorA');
    for (const [role, key] of Object.entries(DEMO.roleDefaults)) {
      expect(employeeByKey(key).roles).toContain(role);
    }
  });

  it('returns undefined for unknown references', () => {
    for (const ref of ['', '  ', 'BT999', 'BT0001', 'nobody', 'HR', 'Manager', 'ceo2', '00000000-0000-4000-8000-000000000999',
      'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(findDemoEmployee(ref)).toBeUndefined();
    }
  });
});
