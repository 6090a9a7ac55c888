import express, { type Express } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { authenticate } from './auth';
import type { ApiContext } from './context';
import { noteMountPoint, observability } from './observability';
import { openApiDocument } from './openapi';
import { notFound, problemHandler } from './problems';
import { employeeRoutes } from './routes/employees';
import { flowRoutes } from './routes/flows';
import { followUpRoutes } from './routes/followUps';
import { needsCycleRoutes } from './routes/needsCycles';
import { notificationRoutes } from './routes/notifications';
import { accountRoutes, handoverItemRoutes, resignationRoutes } from './routes/resignations';
import { taskRoutes } from './routes/tasks';
import { trainingPlanRoutes } from './routes/trainingPlans';
import { trainingSessionRoutes } from './routes/trainingSessions';
import { dashboardRoutes } from './routes/dashboard';
import { delegationRoutes } from './routes/delegations';
import { surveyRoutes, surveyRunRoutes } from './routes/surveys';
import { needsCycleScheduleRoutes } from './routes/needsCycleSchedules';
import { suggestionRoutes } from './routes/suggestions';
import { careerPlanRoutes } from './routes/careerPlans';
import { teamRebuildingRoutes } from './routes/teamRebuildings';
import { staffingAdjustmentRoutes } from './routes/staffingAdjustments';
import { reservePoolRoutes } from './routes/reservePools';
import { performanceRoutes, retentionRoutes, riskRoutes } from './routes/risk';
import { reportRoutes } from './routes/reports';
import { onboardingRoutes } from './routes/onboardings';
import { documentRoutes } from './routes/documents';
import { vacancyRoutes } from './routes/vacancies';
import { directoryRoutes } from './routes/directory';
import { commentRoutes } from './routes/comments';
import { webAppFiles, webAppRoutes } from './routes/webApp';

/** The Express app (no listen here, so tests mount it with supertest). */
export function createApp(ctx: ApiContext): Express {
  const app = express();
  app.disable('x-powered-by');
  // Security headers; Swagger UI's inline script and styles need the relaxed policy on /api/docs only.
  const secure = helmet();
  app.use((req, res, next) => (req.path.startsWith('/api/docs') ? next() : secure(req, res, next)));
  app.set('query parser', 'simple');
  const { track, metrics } = observability(ctx.db, ctx.log);
  app.use(track);
  app.get('/metrics', metrics);
  app.use(express.json({ limit: '1mb' }));

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const [database, temporal] = await Promise.all([
      ctx.db.$queryRaw`SELECT 1`.then(() => true, () => false),
      ctx.temporalReady().catch(() => false),
    ]);
    res.status(database && temporal ? 200 : 503).json({ status: database && temporal ? 'ready' : 'not ready', database, temporal });
  });

  const doc = openApiDocument();
  app.get('/api/openapi.json', (_req, res) => void res.json(doc));
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(doc));

  app.use('/api', webAppRoutes(ctx));
  const v1 = express.Router();
  v1.use(authenticate(ctx.auth, ctx.db));
  v1.use(directoryRoutes(ctx));
  v1.use('/employees', noteMountPoint, employeeRoutes(ctx));
  v1.use('/training-plans', noteMountPoint, trainingPlanRoutes(ctx));
  v1.use('/training-plans', noteMountPoint, followUpRoutes(ctx));
  v1.use('/tasks', noteMountPoint, taskRoutes(ctx));
  const { flowComments, attachmentFiles } = commentRoutes(ctx);
  v1.use('/flows', noteMountPoint, flowRoutes(ctx));
  v1.use('/flows', noteMountPoint, flowComments);
  v1.use('/attachments', noteMountPoint, attachmentFiles);
  v1.use('/resignations', noteMountPoint, resignationRoutes(ctx));
  v1.use('/handover-items', noteMountPoint, handoverItemRoutes(ctx));
  v1.use('/accounts', noteMountPoint, accountRoutes(ctx));
  v1.use('/needs-cycles', noteMountPoint, needsCycleRoutes(ctx));
  v1.use('/needs-cycle-schedules', noteMountPoint, needsCycleScheduleRoutes(ctx));
  v1.use('/training-sessions', noteMountPoint, trainingSessionRoutes(ctx));
  v1.use('/notifications', noteMountPoint, notificationRoutes(ctx));
  v1.use('/dashboard', noteMountPoint, dashboardRoutes(ctx));
  v1.use('/delegations', noteMountPoint, delegationRoutes(ctx));
  v1.use('/surveys', noteMountPoint, surveyRoutes(ctx));
  v1.use('/survey-runs', noteMountPoint, surveyRunRoutes(ctx));
  v1.use('/suggestions', noteMountPoint, suggestionRoutes(ctx));
  v1.use('/career-plans', noteMountPoint, careerPlanRoutes(ctx));
  v1.use('/vacancies', noteMountPoint, vacancyRoutes(ctx));
  v1.use('/team-rebuildings', noteMountPoint, teamRebuildingRoutes(ctx));
  v1.use('/staffing-adjustments', noteMountPoint, staffingAdjustmentRoutes(ctx));
  v1.use('/reserve-pools', noteMountPoint, reservePoolRoutes(ctx));
  v1.use('/risk', noteMountPoint, riskRoutes(ctx));
  v1.use('/performance', noteMountPoint, performanceRoutes(ctx));
  v1.use('/retention-flows', noteMountPoint, retentionRoutes(ctx));
  v1.use('/reports', noteMountPoint, reportRoutes(ctx));
  v1.use('/onboardings', noteMountPoint, onboardingRoutes(ctx));
  v1.use('/documents', noteMountPoint, documentRoutes(ctx));
  app.use('/api/v1', v1);
  if (ctx.web?.root) app.use(webAppFiles(ctx.web.root));

  app.use(notFound);
  app.use(problemHandler(ctx.log));
  return app;
}
