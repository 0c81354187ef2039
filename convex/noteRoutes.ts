// The notes sample's REST routes, added to the router of convex/http.ts.
import type { HttpRouter } from 'convex/server';
import { api } from './_generated/api';
import { httpAction } from './_generated/server';
import { NOTE_MAX } from './limits';
import { asUser, problem } from './rest';

const IMPORT_MAX = 100;

function csvField(value: string) {
	// Quote everything; a leading =+-@ is neutralised so spreadsheets don't run it as a formula.
	return `"${value.replace(/^([=+\-@])/, "'$1").replace(/"/g, '""')}"`;
}

export function addNoteRoutes(http: HttpRouter) {
	// A plain REST endpoint over the same data: `GET /notes/export?format=csv|json`.
	http.route({
		path: '/notes/export',
		method: 'GET',
		handler: httpAction((ctx, request) =>
			asUser(async () => {
				const notes = await ctx.runQuery(api.notes.list, {});
				if (new URL(request.url).searchParams.get('format') !== 'csv') return Response.json(notes);
				const rows = notes.map(
					(n) => `${csvField(new Date(n.createdAt).toISOString())},${csvField(n.text)}`
				);
				return new Response(['created,text', ...rows].join('\r\n') + '\r\n', {
					headers: {
						'content-type': 'text/csv; charset=utf-8',
						'content-disposition': 'attachment; filename="notes.csv"'
					}
				});
			})
		)
	});

	// `POST /notes/import` with `{ "notes": ["text", …] }` (at most 100).
	http.route({
		path: '/notes/import',
		method: 'POST',
		handler: httpAction((ctx, request) =>
			asUser(async () => {
				const body: unknown = await request.json().catch(() => null);
				const notes = (body as { notes?: unknown } | null)?.notes;
				if (!Array.isArray(notes) || notes.some((n) => typeof n !== 'string')) {
					return problem(400, 'Expected JSON { "notes": string[] }');
				}
				if (notes.length > IMPORT_MAX)
					return problem(413, `At most ${IMPORT_MAX} notes per import`);
				// All or nothing: check every note before writing any.
				if ((notes as string[]).some((n) => !n.trim() || n.trim().length > NOTE_MAX)) {
					return problem(400, `Each note must be 1–${NOTE_MAX} characters`);
				}
				for (const text of notes as string[]) await ctx.runMutation(api.notes.create, { text });
				return Response.json({ imported: notes.length }, { status: 201 });
			})
		)
	});
}
