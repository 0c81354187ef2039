import { httpRouter } from 'convex/server';
import { auth } from './auth';

const http = httpRouter();

// /.well-known/openid-configuration, /.well-known/jwks.json and the OAuth callback routes.
auth.addHttpRoutes(http);

export default http;
