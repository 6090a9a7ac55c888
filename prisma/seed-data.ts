// The demo organisation: a property-management company (物业公司) with a fee-collection department
// (收费催收部). Pure, deterministic data: no I/O, no clock, no Math.random. prisma/seed.ts writes it
// to the database; tests and the local default run refer to people by their key (DEMO.employees.
// collectorA) or through findDemoEmployee('BT009' | id | 'collectorA' | 'hr').

import type { PlanContent } from '../domain/trainingPlan';
import type { Role } from '../generated/prisma/enums';

export type DemoRole = Role;

export const DEMO_DEPARTMENT_KEYS = ['management', 'hr', 'customerService', 'collection', 'engineering'] as const;
export type DemoDepartmentKey = (typeof DEMO_DEPARTMENT_KEYS)[number];

/** In insertion order: every manager comes before the people who report to them. */
export const DEMO_EMPLOYEE_KEYS = [
  'ceo',
  'vicePresident',
  'hrDirector',
  'hrOfficer',
  'hrAssistant',
  'trainer',
  'admin',
  'collectionHead',
  'collectorA',
  'collectorB',
  'collectorC',
  'serviceHead',
  'serviceRep',
  'engineeringHead',
  'engineer',
] as const;
export type DemoEmployeeKey = (typeof DEMO_EMPLOYEE_KEYS)[number];

export interface DemoDepartment {
  readonly key: DemoDepartmentKey;
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly headKey: DemoEmployeeKey;
  /** Who prepares venue, equipment and materials for the department's training sessions. */
  readonly adminOwnerKey: DemoEmployeeKey;
}

export interface DemoEmployee {
  readonly key: DemoEmployeeKey;
  readonly id: string;
  readonly employeeNo: string;
  readonly name: string;
  readonly email: string;
  readonly locale: 'zh-CN' | 'en';
  readonly departmentId: string;
  /** Id of the manager's entry; null only at the top (the CEO). */
  readonly managerId: string | null;
  readonly roles: readonly DemoRole[];
}

export interface DemoAccount {
  readonly id: string;
  readonly accountNo: string;
  readonly unit: string;
  readonly ownerName: string;
  /** Arrears in fen (1 CNY = 100 fen), a positive integer. */
  readonly arrearsFen: number;
  /** ISO-8601 instant, or null when the owner was never reached. */
  readonly lastContactAt: string | null;
  /** 'YYYY-MM-DD', or null when the owner made no promise. */
  readonly promisedPaymentOn: string | null;
  readonly assigneeKey: DemoEmployeeKey;
}

// ---------------------------------------------------------------------------------------------
// Departments

// HR's assistant arranges training rooms for the offices; the service centre and the engineering
// department have staff of their own who set up their rooms and equipment.
const departments: Readonly<Record<DemoDepartmentKey, DemoDepartment>> = {
  management: { key: 'management', id: 'dept-management', code: 'MGMT', name: '总经办', nameEn: 'General Management', headKey: 'ceo', adminOwnerKey: 'hrAssistant' },
  hr: { key: 'hr', id: 'dept-hr', code: 'HR', name: '人力资源部', nameEn: 'Human Resources', headKey: 'hrDirector', adminOwnerKey: 'hrAssistant' },
  customerService: {
    key: 'customerService',
    id: 'dept-customer-service',
    code: 'CS',
    name: '客服部',
    nameEn: 'Customer Service',
    headKey: 'serviceHead',
    adminOwnerKey: 'serviceRep',
  },
  collection: {
    key: 'collection',
    id: 'dept-collection',
    code: 'COLL',
    name: '收费催收部',
    nameEn: 'Fee Collection',
    headKey: 'collectionHead',
    adminOwnerKey: 'hrAssistant',
  },
  engineering: { key: 'engineering', id: 'dept-engineering', code: 'ENG', name: '工程部', nameEn: 'Engineering', headKey: 'engineeringHead', adminOwnerKey: 'engineer' },
};

// ---------------------------------------------------------------------------------------------
// Employees

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

const ID: Readonly<Record<DemoEmployeeKey, string>> = {
  ceo: uuid(1),
  vicePresident: uuid(2),
  hrDirector: uuid(3),
  hrOfficer: uuid(4),
  hrAssistant: uuid(5),
  trainer: uuid(6),
  admin: uuid(7),
  collectionHead: uuid(8),
  collectorA: uuid(9),
  collectorB: uuid(10),
  collectorC: uuid(11),
  serviceHead: uuid(12),
  serviceRep: uuid(13),
  engineeringHead: uuid(14),
  engineer: uuid(15),
};

function person(
  key: DemoEmployeeKey,
  no: number,
  name: string,
  pinyin: string,
  department: DemoDepartmentKey,
  manager: DemoEmployeeKey | null,
  roles: readonly DemoRole[],
  locale: 'zh-CN' | 'en' = 'zh-CN',
): DemoEmployee {
  return {
    key,
    id: ID[key],
    employeeNo: `BT${no.toString().padStart(3, '0')}`,
    name,
    email: `${pinyin}@baton.example`,
    locale,
    departmentId: departments[department].id,
    managerId: manager === null ? null : ID[manager],
    roles: ['employee', ...roles],
  };
}

const employees: Readonly<Record<DemoEmployeeKey, DemoEmployee>> = {
  ceo: person('ceo', 1, '王建国', 'wangjianguo', 'management', null, ['executive', 'manager']),
  vicePresident: person('vicePresident', 2, '李淑芬', 'lishufen', 'management', 'ceo', ['executive', 'manager']),
  hrDirector: person('hrDirector', 3, '张丽华', 'zhanglihua', 'hr', 'ceo', ['hr_director', 'manager']),
  hrOfficer: person('hrOfficer', 4, '陈晓燕', 'chenxiaoyan', 'hr', 'hrDirector', ['hr']),
  hrAssistant: person('hrAssistant', 5, '刘婷', 'liuting', 'hr', 'hrDirector', ['hr'], 'en'),
  trainer: person('trainer', 6, '赵志强', 'zhaozhiqiang', 'hr', 'hrDirector', ['trainer']),
  admin: person('admin', 7, '孙明', 'sunming', 'management', 'ceo', ['admin']),
  collectionHead: person('collectionHead', 8, '周国强', 'zhouguoqiang', 'collection', 'vicePresident', ['manager']),
  collectorA: person('collectorA', 9, '吴海燕', 'wuhaiyan', 'collection', 'collectionHead', []),
  collectorB: person('collectorB', 10, '郑磊', 'zhenglei', 'collection', 'collectionHead', []),
  collectorC: person('collectorC', 11, '黄小梅', 'huangxiaomei', 'collection', 'collectionHead', [], 'en'),
  serviceHead: person('serviceHead', 12, '林静', 'linjing', 'customerService', 'vicePresident', ['manager']),
  serviceRep: person('serviceRep', 13, '何佳怡', 'hejiayi', 'customerService', 'serviceHead', []),
  engineeringHead: person('engineeringHead', 14, '马振华', 'mazhenhua', 'engineering', 'vicePresident', ['manager']),
  engineer: person('engineer', 15, '郭伟', 'guowei', 'engineering', 'engineeringHead', []),
};

/**
 * Who findDemoEmployee returns for a role name: the most specific holder (a plain HR officer for
 * `hr`, a line manager rather than the CEO for `manager`, a collector for `employee`).
 */
const roleDefaults: Readonly<Record<DemoRole, DemoEmployeeKey>> = {
  employee: 'collectorA',
  manager: 'collectionHead',
  hr: 'hrOfficer',
  hr_director: 'hrDirector',
  executive: 'ceo',
  trainer: 'trainer',
  admin: 'admin',
};

// ---------------------------------------------------------------------------------------------
// Delinquent accounts (欠费账户)

/** mulberry32: a tiny deterministic PRNG, good enough for demo data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Estate {
  readonly name: string;
  readonly buildings: number;
  readonly unitsPerBuilding: number;
  readonly floors: number;
  readonly flatsPerFloor: number;
}

const ESTATES: readonly Estate[] = [
  { name: '翠湖花园', buildings: 12, unitsPerBuilding: 3, floors: 18, flatsPerFloor: 4 },
  { name: '锦绣华庭', buildings: 8, unitsPerBuilding: 2, floors: 26, flatsPerFloor: 4 },
  { name: '金桂苑', buildings: 16, unitsPerBuilding: 2, floors: 6, flatsPerFloor: 2 },
  { name: '滨江壹号', buildings: 6, unitsPerBuilding: 2, floors: 33, flatsPerFloor: 3 },
  { name: '阳光新城', buildings: 20, unitsPerBuilding: 3, floors: 11, flatsPerFloor: 2 },
  { name: '御景湾', buildings: 5, unitsPerBuilding: 2, floors: 28, flatsPerFloor: 4 },
];

/** Each collector works a territory of estates; portfolio sizes as the tests expect. */
const PORTFOLIOS: readonly { readonly assigneeKey: DemoEmployeeKey; readonly count: number; readonly estates: readonly number[] }[] = [
  { assigneeKey: 'collectorA', count: 320, estates: [0, 1, 2] },
  { assigneeKey: 'collectorB', count: 40, estates: [3, 4] },
  { assigneeKey: 'collectorC', count: 25, estates: [5] },
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN_NAMES = [
  '伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞',
  '平', '刚', '桂英', '建华', '文', '华', '红梅', '玉兰', '志刚', '晓东', '海涛', '春燕', '国庆', '建军', '丽娟', '德明',
  '淑珍', '永强', '雪梅', '俊杰', '子涵', '浩然', '欣怡', '宇轩', '梓萱', '振宇', '美玲', '立新', '卫东', '丹', '鹏', '婷',
];

function pick<T>(rand: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const int = (rand: () => number, min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));

const DAY_MS = 86_400_000;
/** Contacts happened between 2025-10-01 and 2026-03-31 (China Standard Time working hours). */
const CONTACT_FROM = Date.UTC(2025, 9, 1);
const CONTACT_DAYS = 182;

function generateAccounts(): DemoAccount[] {
  const rand = prng(20260101);
  const surnames = [...SURNAMES];
  const usedUnits = new Set<string>();
  const accounts: DemoAccount[] = [];
  for (const portfolio of PORTFOLIOS) {
    for (let i = 0; i < portfolio.count; i++) {
      const n = accounts.length + 1;
      const seq = n.toString().padStart(4, '0');

      let unit: string;
      do {
        const estate = pick(rand, portfolio.estates.map((e) => ESTATES[e]).filter((e): e is Estate => e !== undefined));
        const floor = int(rand, 1, estate.floors);
        const flat = int(rand, 1, estate.flatsPerFloor);
        unit = `${estate.name} ${int(rand, 1, estate.buildings)}栋${int(rand, 1, estate.unitsPerBuilding)}单元 ${floor}${flat.toString().padStart(2, '0')}`;
      } while (usedUnits.has(unit));
      usedUnits.add(unit);

      const ownerName = pick(rand, surnames) + pick(rand, GIVEN_NAMES);

      // Most arrears are a few months of fees; a long tail owes years. 300 – 30,000 CNY, to the fen.
      const yuan = 300 + 29_700 * rand() ** 2.2;
      const arrearsFen = Math.min(3_000_000, Math.max(30_000, Math.round(yuan * 100)));

      let lastContactAt: string | null = null;
      let promisedPaymentOn: string | null = null;
      if (rand() >= 0.15) {
        const day = int(rand, 0, CONTACT_DAYS - 1);
        // 09:00–17:59 in UTC+8 is 01:00–09:59 UTC.
        const at = CONTACT_FROM + day * DAY_MS + int(rand, 1, 9) * 3_600_000 + int(rand, 0, 59) * 60_000;
        lastContactAt = new Date(at).toISOString();
        if (rand() < 0.35) {
          promisedPaymentOn = new Date(at + int(rand, 3, 45) * DAY_MS).toISOString().slice(0, 10);
        }
      }

      accounts.push({
        id: `acct-${seq}`,
        accountNo: `AC-2026-${seq}`,
        unit,
        ownerName,
        arrearsFen,
        lastContactAt,
        promisedPaymentOn,
        assigneeKey: portfolio.assigneeKey,
      });
    }
  }
  return accounts;
}

// ---------------------------------------------------------------------------------------------

export interface DemoOrganisation {
  readonly departments: Readonly<Record<DemoDepartmentKey, DemoDepartment>>;
  /** Keyed by DemoEmployeeKey; Object.values() lists managers before their reports. */
  readonly employees: Readonly<Record<DemoEmployeeKey, DemoEmployee>>;
  readonly accounts: readonly DemoAccount[];
  /** The employee findDemoEmployee returns for each role name. */
  readonly roleDefaults: Readonly<Record<DemoRole, DemoEmployeeKey>>;
}

export const DEMO: DemoOrganisation = {
  departments,
  employees,
  accounts: generateAccounts(),
  roleDefaults,
};

/** Departments in insertion order. */
export const demoDepartments = (): readonly DemoDepartment[] => DEMO_DEPARTMENT_KEYS.map((k) => DEMO.departments[k]);

/** Employees in insertion order (managers before their reports). */
export const demoEmployees = (): readonly DemoEmployee[] => DEMO_EMPLOYEE_KEYS.map((k) => DEMO.employees[k]);

export function isDemoEmployeeKey(value: string): value is DemoEmployeeKey {
  return (DEMO_EMPLOYEE_KEYS as readonly string[]).includes(value);
}

export function employeeByKey(key: DemoEmployeeKey): DemoEmployee {
  return DEMO.employees[key];
}

/**
 * Resolves a reference to a demo employee: a key ('hrOfficer'), an id, an employee number
 * ('BT004', case-insensitive), an email, or a role name ('hr' → hrOfficer, 'manager' →
 * collectionHead, 'executive' → ceo; see DEMO.roleDefaults). Undefined for anything else.
 */
export function findDemoEmployee(ref: string): DemoEmployee | undefined {
  const r = ref.trim();
  if (r === '') return undefined;
  if (isDemoEmployeeKey(r)) return DEMO.employees[r];
  const lower = r.toLowerCase();
  const all = demoEmployees();
  const direct = all.find((e) => e.id === lower || e.employeeNo.toLowerCase() === lower || e.email === lower);
  if (direct) return direct;
  if (Object.prototype.hasOwnProperty.call(DEMO.roleDefaults, r)) return DEMO.employees[DEMO.roleDefaults[r as DemoRole]];
  return undefined;
}

/** The demo accounts currently planned for one employee (by seed data, not by the database). */
export function demoAccountsOf(key: DemoEmployeeKey): readonly DemoAccount[] {
  return DEMO.accounts.filter((a) => a.assigneeKey === key);
}

/** A complete, consistent training plan whose budget total is `totalFen` (tests, benchmarks, histories). */
export function samplePlanContent(totalFen = 1_200_000): PlanContent {
  const fees = Math.round(totalFen * 0.6);
  const materials = Math.round(totalFen * 0.1);
  return {
    objectives: {
      general: '提升催收员的沟通与谈判能力 Improve collectors’ negotiation skills',
      targets: [{ description: 'Collection rate on 90-day arrears', metric: 'collection_rate_90d', target: 65, unit: '%' }],
    },
    modules: [
      { title: '催收话术 Collection scripts', content: 'Opening, listening, objections, promises to pay', hours: 6 },
      { title: '法律法规 Regulations', content: 'Property Management Regulations and fair collection', hours: 3 },
    ],
    methods: ['classroom', 'role_play'],
    resources: { trainers: [{ name: '孙老师', qualification: 'certified mediator' }], venue: '三楼培训室', materials: ['handbook'], equipment: ['projector'] },
    cycle: { startsOn: '2027-03-01', endsOn: '2027-03-31' },
    sessions: [{ title: 'Day 1', startsAt: '2027-03-10T09:00:00+08:00', endsAt: '2027-03-10T17:00:00+08:00' }],
    participantIds: [],
    budget: {
      lines: [
        { category: 'fees', description: 'Trainer fees', amountFen: fees },
        { category: 'materials', description: 'Handbooks', amountFen: materials },
        { category: 'venue', description: 'Room and catering', amountFen: totalFen - fees - materials },
      ],
      totalFen,
    },
  };
}
