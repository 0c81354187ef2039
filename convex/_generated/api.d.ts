/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type { ApiFromModules, FilterApi, FunctionReference } from 'convex/server';
import type * as abuse from '../abuse.js';
import type * as app from '../app.js';
import type * as auth from '../auth.js';
import type * as codes from '../codes.js';
import type * as credentials from '../credentials.js';
import type * as email from '../email.js';
import type * as endSessions from '../endSessions.js';
import type * as gate from '../gate.js';
import type * as http from '../http.js';
import type * as limits from '../limits.js';
import type * as mail from '../mail.js';
import type * as messages from '../messages.js';
import type * as methods from '../methods.js';
import type * as noteRoutes from '../noteRoutes.js';
import type * as notes from '../notes.js';
import type * as oauth from '../oauth.js';
import type * as outbox from '../outbox.js';
import type * as password from '../password.js';
import type * as recovery from '../recovery.js';
import type * as recoveryStore from '../recoveryStore.js';
import type * as rest from '../rest.js';
import type * as sessions from '../sessions.js';
import type * as users from '../users.js';

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
	abuse: typeof abuse;
	app: typeof app;
	auth: typeof auth;
	codes: typeof codes;
	credentials: typeof credentials;
	email: typeof email;
	endSessions: typeof endSessions;
	gate: typeof gate;
	http: typeof http;
	limits: typeof limits;
	mail: typeof mail;
	messages: typeof messages;
	methods: typeof methods;
	noteRoutes: typeof noteRoutes;
	notes: typeof notes;
	oauth: typeof oauth;
	outbox: typeof outbox;
	password: typeof password;
	recovery: typeof recovery;
	recoveryStore: typeof recoveryStore;
	rest: typeof rest;
	sessions: typeof sessions;
	users: typeof users;
}>;
export declare const api: FilterApi<typeof fullApi, FunctionReference<any, 'public'>>;
export declare const internal: FilterApi<typeof fullApi, FunctionReference<any, 'internal'>>;

// Components (convex/convex.config.ts), typed as a deployment's codegen writes them; the offline
// codegen (`convex codegen --system-udfs`) leaves them out, so they are kept here by hand.
export declare const components: {
	rateLimiter: import('@convex-dev/rate-limiter/_generated/component.js').ComponentApi<'rateLimiter'>;
	resend: import('@convex-dev/resend/_generated/component.js').ComponentApi<'resend'>;
};
