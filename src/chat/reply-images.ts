// The pictures that go with an answer (a forecast's chart), posted after the answer itself, the same on every
// platform: through the channel's image capability, and when that fails, the picture's title and description as
// a note, so the person learns what the chart would have shown and that it is missing.
import type { Logger } from '../log.js';
import type { Reply } from '../orchestrator/types.js';
import type { Channel, NoteTarget } from './channel.js';

/** Posts each of the reply's images under `to`. Never throws. */
export async function postReplyImages(channel: Pick<Channel, 'platform' | 'postImage' | 'postNote'>, to: NoteTarget, reply: Reply, log: Logger): Promise<void> {
  for (const image of reply.images ?? []) {
    if (channel.postImage) {
      try {
        await channel.postImage(to, image);
        continue;
      } catch (err) {
        log.warn(`${channel.platform}: could not post a chart; posting its description instead`, { conversation: to.conversationId, error: (err as Error).message });
      }
    }
    await channel
      .postNote(to, `(Chart not shown) ${image.title}. ${image.alt}`, 'info')
      .catch((err: Error) => log.warn(`${channel.platform}: could not post a chart's description`, { conversation: to.conversationId, error: err.message }));
  }
}
