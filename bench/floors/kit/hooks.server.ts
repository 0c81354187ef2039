// The floor app's hooks: none (FLOOR_HOOKS unset), or this app's own, session step included.
import type { Handle } from '@sveltejs/kit/hooks';
import { handle as appHandle } from '../../../src/hooks.server.ts';

const none: Handle = ({ event, resolve }) => resolve(event);

export const handle = process.env.FLOOR_HOOKS === 'app' ? appHandle : none;
