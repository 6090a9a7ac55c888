import { App as AntApp, Button, ConfigProvider, Flex, Layout, Menu, Result, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import { lazy, Suspense, type ComponentType } from 'react';
import 'dayjs/locale/zh-cn';
import { I18nProvider, LanguageSwitch, useI18n } from './i18n';
import { SignInPage } from './pages/SignIn';
import { Link, match, Router, useLocation } from './router';
import { hasRole, SessionProvider, SURVEY_READERS, useSession } from './session';

/** Each page is its own chunk, fetched when first opened: a phone opening one task loads the inbox, not the editor. */
const page = <P extends object>(load: () => Promise<ComponentType<P>>) => lazy(() => load().then((component) => ({ default: component })));
const DeliveriesPage = page(() => import('./pages/Deliveries').then((m) => m.DeliveriesPage));
const DashboardPage = page(() => import('./pages/Dashboard').then((m) => m.DashboardPage));
const FlowPage = page(() => import('./pages/Flow').then((m) => m.FlowPage));
const FollowUpPage = page(() => import('./pages/FollowUp').then((m) => m.FollowUpPage));
const HandoverPage = page(() => import('./pages/Handover').then((m) => m.HandoverPage));
const ResignationsPage = page(() => import('./pages/Handover').then((m) => m.ResignationsPage));
const InboxPage = page(() => import('./pages/Inbox').then((m) => m.InboxPage));
const NeedsCyclePage = page(() => import('./pages/Needs').then((m) => m.NeedsCyclePage));
const NeedsCyclesPage = page(() => import('./pages/Needs').then((m) => m.NeedsCyclesPage));
const StartNeedsCyclePage = page(() => import('./pages/Needs').then((m) => m.StartNeedsCyclePage));
const PlanDetailPage = page(() => import('./pages/PlanDetail').then((m) => m.PlanDetailPage));
const PlanEditorPage = page(() => import('./pages/PlanEditor').then((m) => m.PlanEditorPage));
const PlansPage = page(() => import('./pages/Plans').then((m) => m.PlansPage));
const SessionPage = page(() => import('./pages/Sessions').then((m) => m.SessionPage));
const SessionSignInPage = page(() => import('./pages/Sessions').then((m) => m.SessionSignInPage));
const SessionsPage = page(() => import('./pages/Sessions').then((m) => m.SessionsPage));
const SuggestionPage = page(() => import('./pages/Suggestions').then((m) => m.SuggestionPage));
const SuggestionsPage = page(() => import('./pages/Suggestions').then((m) => m.SuggestionsPage));
const VacanciesPage = page(() => import('./pages/Promotion').then((m) => m.VacanciesPage));
const VacancyPage = page(() => import('./pages/Promotion').then((m) => m.VacancyPage));
const CareerPlanPage = page(() => import('./pages/CareerPlans').then((m) => m.CareerPlanPage));
const CareerPlansPage = page(() => import('./pages/CareerPlans').then((m) => m.CareerPlansPage));
const MyCareerPlanPage = page(() => import('./pages/CareerPlans').then((m) => m.MyCareerPlanPage));
const AwayPage = page(() => import('./pages/Away').then((m) => m.AwayPage));
const TeamRebuildingPage = page(() => import('./pages/TeamRebuilding').then((m) => m.TeamRebuildingPage));
const StaffingAdjustmentsPage = page(() => import('./pages/StaffingAdjustments').then((m) => m.StaffingAdjustmentsPage));
const StaffingAdjustmentPage = page(() => import('./pages/StaffingAdjustments').then((m) => m.StaffingAdjustmentPage));
const SurveysPage = page(() => import('./pages/Surveys').then((m) => m.SurveysPage));
const SurveyEditorPage = page(() => import('./pages/Surveys').then((m) => m.SurveyEditorPage));
const SurveyRunPage = page(() => import('./pages/Surveys').then((m) => m.SurveyRunPage));
const RiskBoardPage = page(() => import('./pages/Risk').then((m) => m.RiskBoardPage));
const RetentionFlowPage = page(() => import('./pages/Risk').then((m) => m.RetentionFlowPage));
const LeavingCausesPage = page(() => import('./pages/LeavingCauses').then((m) => m.LeavingCausesPage));
const ReservePoolsPage = page(() => import('./pages/ReservePools').then((m) => m.ReservePoolsPage));
const ReservePoolPage = page(() => import('./pages/ReservePools').then((m) => m.ReservePoolPage));
const OnboardingsPage = page(() => import('./pages/Onboarding').then((m) => m.OnboardingsPage));
const OnboardingPage = page(() => import('./pages/Onboarding').then((m) => m.OnboardingPage));
const NewOnboardingPage = page(() => import('./pages/Onboarding').then((m) => m.NewOnboardingPage));
const NotificationSettingsPage = page(() => import('./pages/Settings').then((m) => m.NotificationSettingsPage));

/** antd's tokens, with secondary and placeholder text dark enough for WCAG AA (4.5:1 on white). */
const THEME = { token: { colorPrimary: '#0958d9', colorPrimaryHover: '#003eb3', colorPrimaryActive: '#002c8c', colorLink: '#0958d9', colorLinkHover: '#003eb3', colorInfo: '#0958d9', colorError: '#cf1322', colorErrorHover: '#a8071a', colorErrorActive: '#820014', colorTextDescription: 'rgba(0, 0, 0, 0.62)', colorTextTertiary: 'rgba(0, 0, 0, 0.62)', colorTextPlaceholder: 'rgba(0, 0, 0, 0.62)' } };

const PLAN_READERS = ['hr', 'hr_director', 'executive', 'admin', 'manager'] as const;
const HANDOVER_OVERSEERS = ['hr', 'hr_director', 'admin'] as const;
const CAREER_PLAN_KEEPERS = ['hr', 'hr_director', 'manager'] as const;
const RISK_READERS = ['hr', 'hr_director', 'manager'] as const;
const POOL_READERS = ['hr', 'hr_director', 'executive', 'admin', 'manager'] as const;

function Page() {
  const { path } = useLocation();
  const { t } = useI18n();
  let m: Record<string, string> | undefined;
  if (path === '/' || match('/tasks', path)) return <InboxPage />;
  if ((m = match('/tasks/:id', path))) return <InboxPage focusTaskId={m.id} />;
  if (match('/plans', path)) return <PlansPage />;
  if (match('/plans/new', path)) return <PlanEditorPage />;
  if ((m = match('/plans/:id/follow-up', path))) return <FollowUpPage key={m.id} planId={m.id!} />;
  if ((m = match('/plans/:id/edit', path))) return <PlanEditorPage key={m.id} planId={m.id} />;
  if ((m = match('/plans/:id', path))) return <PlanDetailPage key={m.id} planId={m.id!} />;
  if (match('/sessions', path)) return <SessionsPage />;
  if ((m = match('/sessions/:id', path))) return <SessionPage key={m.id} sessionId={m.id!} />;
  if ((m = match('/sign-in/:id', path))) return <SessionSignInPage key={m.id} sessionId={m.id!} />;
  if (match('/dashboard', path)) return <DashboardPage />;
  if (match('/needs-cycles', path)) return <NeedsCyclesPage />;
  if (match('/needs-cycles/new', path)) return <StartNeedsCyclePage />;
  if ((m = match('/needs-cycles/:id', path))) return <NeedsCyclePage key={m.id} cycleId={m.id!} />;
  if (match('/resignations', path)) return <ResignationsPage />;
  if ((m = match('/resignations/:id', path))) return <HandoverPage key={m.id} resignationId={m.id!} />;
  if (match('/suggestions', path)) return <SuggestionsPage />;
  if ((m = match('/suggestions/:id', path))) return <SuggestionPage key={m.id} suggestionId={m.id!} />;
  if (match('/vacancies', path)) return <VacanciesPage />;
  if ((m = match('/vacancies/:id', path))) return <VacancyPage key={m.id} vacancyId={m.id!} />;
  if ((m = match('/team-rebuildings/:id', path))) return <TeamRebuildingPage key={m.id} resignationId={m.id!} />;
  if (match('/staffing-adjustments', path)) return <StaffingAdjustmentsPage />;
  if ((m = match('/staffing-adjustments/:id', path))) return <StaffingAdjustmentPage key={m.id} adjustmentId={m.id!} />;
  if (match('/career-plan', path)) return <MyCareerPlanPage />;
  if (match('/career-plans', path)) return <CareerPlansPage />;
  if ((m = match('/career-plans/:id', path))) return <CareerPlanPage key={m.id} employeeId={m.id!} />;
  if (match('/away', path)) return <AwayPage />;
  if (match('/surveys', path)) return <SurveysPage />;
  if (match('/surveys/new', path)) return <SurveyEditorPage />;
  if ((m = match('/surveys/:id/edit', path))) return <SurveyEditorPage key={m.id} surveyId={m.id} />;
  if ((m = match('/survey-runs/:id', path))) return <SurveyRunPage key={m.id} runId={m.id!} />;
  if (match('/risk', path)) return <RiskBoardPage />;
  if ((m = match('/retention-flows/:id', path))) return <RetentionFlowPage key={m.id} flowId={m.id!} />;
  if (match('/reports/leaving-causes', path)) return <LeavingCausesPage />;
  if (match('/reserve-pools', path)) return <ReservePoolsPage />;
  if ((m = match('/reserve-pools/:position', path))) return <ReservePoolPage key={m.position} position={m.position as 'collector'} />;
  if (match('/onboardings', path)) return <OnboardingsPage />;
  if (match('/onboardings/new', path)) return <NewOnboardingPage />;
  if ((m = match('/onboardings/:id', path))) return <OnboardingPage key={m.id} employeeId={m.id!} />;
  if (match('/settings', path)) return <NotificationSettingsPage />;
  if (match('/notifications', path)) return <DeliveriesPage />;
  if ((m = match('/flows/:id', path))) return <FlowPage key={m.id} flowId={m.id!} />;
  return <Result status="404" title={t('page.notFound')} />;
}

function Shell() {
  const { t } = useI18n();
  const { caller, directory, signOut } = useSession();
  const { path, go } = useLocation();
  // Managers, department heads and HR keep others' career plans besides their own.
  const keepsPlans =
    hasRole(caller, ...CAREER_PLAN_KEEPERS) ||
    [...directory.people.values()].some((p) => p.managerId === caller.id) ||
    [...directory.departments.values()].some((d) => d.headId === caller.id);
  // Onboarding, early warning and the reserve pool share one menu, so the bar keeps its width.
  const people = [
    ...(hasRole(caller, 'hr', 'hr_director', 'admin', 'manager') ? [{ key: '/onboardings', label: t('onboarding.nav') }] : []),
    ...(hasRole(caller, ...RISK_READERS) ? [{ key: '/risk', label: t('nav.risk') }, { key: '/reports/leaving-causes', label: t('nav.leavingCauses') }] : []),
    ...(hasRole(caller, ...POOL_READERS) ? [{ key: '/reserve-pools', label: t('nav.reservePools') }] : []),
    ...(hasRole(caller, 'hr', 'hr_director', 'admin', 'manager') ? [{ key: '/staffing-adjustments', label: t('nav.staffing') }] : []),
  ];
  const items = [
    { key: '/tasks', label: t('nav.inbox') },
    ...(hasRole(caller, ...PLAN_READERS) ? [{ key: '/plans', label: t('nav.plans') }] : []),
    ...(hasRole(caller, ...PLAN_READERS) ? [{ key: '/needs-cycles', label: t('nav.needs') }] : []),
    { key: '/sessions', label: t('nav.sessions') },
    { key: '/suggestions', label: t('nav.suggestions') },
    { key: '/vacancies', label: t('nav.promotion') },
    { key: '/career-plan', label: t('nav.careerPlan') },
    ...(keepsPlans ? [{ key: '/career-plans', label: t('nav.careerPlans') }] : []),
    ...(hasRole(caller, ...HANDOVER_OVERSEERS) ? [{ key: '/resignations', label: t('nav.handovers') }, { key: '/dashboard', label: t('nav.dashboard') }] : []),
    ...(hasRole(caller, ...SURVEY_READERS) ? [{ key: '/surveys', label: t('nav.surveys') }] : []),
    ...(hasRole(caller, 'hr', 'admin') ? [{ key: '/notifications', label: t('nav.deliveries') }] : []),
    ...(people.length ? [{ key: 'people', label: t('nav.people'), children: people }] : []),
    { key: '/away', label: t('nav.away') },
  ];
  // A survey's run belongs under 员工调研 for those who have it in their menu.
  const section = path.startsWith('/survey-runs') ? '/surveys' : path.startsWith('/retention-flows') ? '/risk' : path;
  const current = [...items, ...people].find((i) => section === i.key || section.startsWith(`${i.key}/`))?.key ?? '/tasks';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="app-header">
        <Typography.Text strong className="brand">Baton</Typography.Text>
        <Menu theme="dark" mode="horizontal" selectedKeys={[current]} items={items} onClick={(e) => go(e.key)} style={{ flex: 1, minWidth: 0 }} />
        <Flex gap="small" align="center">
          <LanguageSwitch />
          <Link to="/settings" className="who">{caller.name}</Link>
          <Button size="small" onClick={signOut}>
            {t('nav.signOut')}
          </Button>
        </Flex>
      </Layout.Header>
      {/* Layout.Content is the page's one <main>. */}
      <Layout.Content className="app-content">
        <Suspense fallback={<Spin />}>
          <Page />
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}

export function App() {
  return (
    <I18nProvider>
      {(locale) => {
        dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
        return (
          <ConfigProvider locale={locale === 'en' ? enUS : zhCN} button={{ autoInsertSpace: false }} theme={THEME}>
            {/* Toasts below the navigation bar (64 px), not over it. */}
            <AntApp message={{ top: 72 }}>
              <Router>
                <SessionProvider signIn={(done) => <SignInPage signedIn={done} />}>
                  <Shell />
                </SessionProvider>
              </Router>
            </AntApp>
          </ConfigProvider>
        );
      }}
    </I18nProvider>
  );
}
