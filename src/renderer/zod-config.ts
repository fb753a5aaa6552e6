// Imported first by the app (start-app.tsx), before any module that builds a schema. The page's CSP
// forbids eval: zod would probe for it with `new Function` as it builds its first object schema (a
// CSP violation on every load) and fall back to its interpreter anyway.
import { z } from 'zod';

z.config({ jitless: true });
