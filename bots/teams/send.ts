// Writing into Teams outside the turn of an incoming activity: through CloudAdapter.continueConversationAsync with
// a stored conversation reference (send a message, update one the bot sent), or createConversationAsync to open a
// 1:1 chat with a person the bot has seen elsewhere. Each call gets its own connector client, authenticated with
// the bot's credentials when they are configured; the factory that creates it refuses service URLs outside the
// allow-list (auth.ts), so a stored reference cannot send anywhere an incoming activity could not.
import type { Activity, CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from '../../src/log.js';
import { type AdaptiveCardJson, cardAttachment } from '../../src/chat/cards/adaptive/card.js';
import type { StoredReference } from './references.js';

export class TeamsSender {
  constructor(
    private readonly adapter: CloudAdapter,
    /** The bot's app id ('' without credentials). */
    private readonly appId: string,
    private readonly log: Logger,
  ) {}

  /**
   * Sends `activity` into the referenced conversation: as a reply to `replyToId` when given (an answer under the
   * question), else as a new message. Returns the id Teams gave the new message.
   */
  async send(reference: Partial<ConversationReference>, activity: Partial<Activity>, replyToId?: string): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      threadAs(context, replyToId);
      const sent = await context.sendActivity(activity);
      id = sent?.id;
    });
    return id;
  }

  /** Replaces the content of message `activityId` (which the bot sent) in the referenced conversation. */
  async update(reference: Partial<ConversationReference>, activityId: string, activity: Partial<Activity>): Promise<void> {
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      await context.updateActivity({ type: 'message', ...activity, id: activityId, conversation: reference.conversation as Activity['conversation'] });
    });
  }

  /** Opens (or reopens: Teams returns the existing one) the bot's 1:1 chat with a person seen in `seen`. */
  async openPersonal(seen: StoredReference, person: { mri: string; aadObjectId: string }): Promise<StoredReference | undefined> {
    const ref = seen.reference;
    const tenantId = (ref.conversation as { tenantId?: string } | undefined)?.tenantId;
    if (!ref.serviceUrl || !ref.bot) return undefined;
    const parameters = {
      isGroup: false,
      bot: ref.bot,
      members: [{ id: person.mri }],
      ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
    } as ConversationParameters;
    let conversationId: string | undefined;
    // The audience left unset: the connector uses the channel's default scope for the configured cloud.
    await this.adapter.createConversationAsync(this.appId, ref.channelId ?? 'msteams', ref.serviceUrl, undefined as unknown as string, parameters, async (context) => {
      conversationId = context.activity.conversation?.id;
    });
    if (!conversationId) return undefined;
    this.log.debug('teams: opened a 1:1 chat', { aadObjectId: person.aadObjectId });
    return {
      reference: {
        channelId: ref.channelId ?? 'msteams',
        serviceUrl: ref.serviceUrl,
        bot: ref.bot,
        user: { id: person.mri, name: '', aadObjectId: person.aadObjectId } as ConversationReference['user'],
        conversation: { id: conversationId, conversationType: 'personal', isGroup: false, ...(tenantId ? { tenantId } : {}) } as ConversationReference['conversation'],
      },
      conversationType: 'personal',
      seenAt: Date.now(),
    };
  }
}

/** A message carrying one Adaptive Card (and a text summary for notifications and clients without cards). */
export function cardMessage(card: AdaptiveCardJson, summary: string): Partial<Activity> {
  return { type: 'message', summary: summary.slice(0, 200), attachments: [cardAttachment(card)] };
}

/**
 * A picture as a message: an inline attachment whose contentUrl is a data: URI (Teams shows base64 PNGs inline, up
 * to 1024×1024 pixels and 1 MB), with the title as text and the description as the attachment's name.
 */
export function imageMessage(image: { data: string; mimeType: string; title: string; alt: string }): Partial<Activity> {
  return {
    type: 'message',
    text: image.title,
    textFormat: 'plain',
    summary: image.title.slice(0, 200),
    attachments: [{ contentType: image.mimeType, contentUrl: `data:${image.mimeType};base64,${image.data}`, name: image.alt.slice(0, 500) }],
  };
}

/** A plain text message. */
export function textMessage(text: string): Partial<Activity> {
  return { type: 'message', text, textFormat: 'plain' };
}

/**
 * Proactive contexts would reply to a made-up continuation activity; messages go to `replyToId` when given, else
 * to the conversation itself.
 */
function threadAs(context: TurnContext, replyToId: string | undefined): void {
  context.onSendActivities(async (_ctx, activities, next) => {
    for (const a of activities) {
      if (replyToId) a.replyToId = replyToId;
      else delete a.replyToId;
    }
    return next();
  });
}
