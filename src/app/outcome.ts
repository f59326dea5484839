// What a use case decided, for the dispatcher to carry out after the transaction commits.
import type { Message } from './message.ts';
import type { FunnelPictureRequest } from './pictures.ts';

export interface Outcome {
  /** Shown only to the speaker. */
  reply?: Message;
  /** The deal whose room/card the command touched. */
  dealId?: string;
  /** Posted in the deal's room for everyone. */
  announce?: Message;
  /** Re-render the pinned card. */
  refreshCard?: boolean;
  /** Bring the deal's archived room back (platforms that can) before anything is posted in it. */
  unarchiveRoom?: boolean;
  /** Create the deal's room if it has none yet (new deal, or a retried creation). */
  ensureRoom?: boolean;
  /** Platform user ids to add to the deal's room. */
  invite?: string[];
  /** Platform user ids to take out of the deal's room. */
  removeFromRoom?: string[];
  /** Reading that must not run inside the command's transaction (the embedded database has one
   * connection): run after commit, its message becomes the reply. */
  later?: () => Promise<Message>;
  /** Direct messages, e.g. to the assignee of a new action. */
  dms?: { userId: string; message: Message }[];
  /** Attach these funnel pictures where the reply is read (platforms with `postImage`); the
   * reply's text says the same and is the fallback. */
  pictures?: FunnelPictureRequest[];
}
