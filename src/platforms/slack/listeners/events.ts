// Events API: the App Home tab shows each person their open deals and actions.
// https://api.slack.com/events/app_home_opened
import type { App } from '@slack/bolt';
import type { Deps } from '../../../app/context.ts';
import type { WorkspaceRef } from '../../../app/ports.ts';
import { buildHome } from '../../../app/use-cases/home.ts';
import { LIMITS, toBlockKit } from '../block-kit.ts';

export async function publishHome(app: App, deps: Deps, ws: WorkspaceRef, userId: string) {
  const home = await buildHome(deps, ws, userId);
  await app.client.views.publish({
    user_id: userId,
    view: { type: 'home', blocks: toBlockKit(home, LIMITS.blocksPerView).blocks as any },
  });
}

export function registerEvents(app: App, deps: Deps) {
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    await publishHome(app, deps, { platform: 'slack', externalId: (body as any).team_id }, event.user).catch((e) =>
      deps.log.error({ err: e }, 'home publish failed'),
    );
  });
}
