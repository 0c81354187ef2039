import rateLimiter from '@convex-dev/rate-limiter/convex.config.js';
import resend from '@convex-dev/resend/convex.config.js';
import { defineApp } from 'convex/server';

// Sign-in, sign-up and failed-password limits live in this component: transactional, so every app
// instance draws on one budget, and stored with the deployment's data.
const app = defineApp();
app.use(rateLimiter);
// Email (password reset, verification) through Resend when RESEND_API_KEY is set (convex/mail.ts).
app.use(resend);
export default app;
