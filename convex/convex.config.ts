import rateLimiter from '@convex-dev/rate-limiter/convex.config.js';
import { defineApp } from 'convex/server';

// Sign-in, sign-up and failed-password limits live in this component: transactional, so every app
// instance draws on one budget, and stored with the deployment's data.
const app = defineApp();
app.use(rateLimiter);
export default app;
