import { query } from './_generated/server';
import { getSignedInUser } from './session';

export const me = query({
	args: {},
	handler: async (ctx) => {
		const user = await getSignedInUser(ctx);
		if (user === null) return null;
		return { id: user._id, email: user.email ?? '', name: user.name ?? '' };
	}
});
