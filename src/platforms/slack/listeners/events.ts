// Events API: the App Home tab shows each person their open deals and actions. Opening it changes
// nothing, so it is answered directly rather than through the inbox.
// https://api.slack.com/events/app_home_opened
import type { App } from '@slack/bolt';
import type { Deps } from '../../../app/context.ts';
import { buildHome } from '../../../app/use-cases/home.ts';

export function registerEvents(app: App, deps: Deps) {
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const ws = { platform: 'slack' as const, externalId: (body as any).team_id };
    try {
      await deps.platforms.get('slack').publishHome?.(ws, event.user, await buildHome(deps, ws, event.user));
    } catch (e) {
      deps.log.error({ err: e }, 'home publish failed');
    }
  });
}
