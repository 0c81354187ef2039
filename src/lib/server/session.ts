import { config } from './config.ts';
import { convexRefresh, createRefresher } from './refresh.ts';
import { createVerifier } from './tokens.ts';

/** The process-wide verifier: one cached JWKS and one cache of verified tokens. */
export const verify = createVerifier({ issuer: config.convexSiteUrl });

/** Single-flight refresh shared by every request in this process. */
export const refresh = createRefresher(convexRefresh(config.convexUrl));
