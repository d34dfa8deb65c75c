// The resident's portal inbox: the first channel of the notification service. Messages are
// written in the transaction of the event they tell about, in both languages.
import type { DbOrTrx } from '../../platform/db/database.ts';
import * as repo from './inbox.repository.ts';

export type { NewMessage } from './inbox.repository.ts';

export const sendToInbox = repo.insertMessages;
export const sendSameToInbox = repo.insertSameMessage;

/** The newest messages first; opening the inbox marks them read. */
export async function openInbox(db: DbOrTrx, personId: number, limit = 50) {
  const messages = await repo.messagesFor(db, personId, limit);
  await repo.markRead(
    db,
    personId,
    messages.filter((m) => m.read_at === null).map((m) => m.id),
  );
  return messages;
}
