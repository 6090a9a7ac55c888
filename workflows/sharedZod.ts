/**
 * zod as the workflow bundle preloads it (worker/worker.ts): evaluated once per worker and shared,
 * frozen, by every flow. zod fills some of its module state on first use, which a frozen module
 * refuses; this fills it before the freeze, with what zod would have chosen itself.
 */
import { z } from 'zod';

z.config(z.locales.en());
z.config({ memoizer: z.memoizer() });
// Whether compiled parsers may be used, probed once and cached in a module object.
void z.util.allowsEval.value;
