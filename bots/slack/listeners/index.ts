// Every listener, registered on one Bolt app.
import type { App } from '@slack/bolt';
import type { BotContext } from '../context.js';
import { registerAppHome } from './app-home.js';
import { registerAppMention } from './app-mention.js';
import { registerApprove } from './approve.js';
import { registerDirectMessage } from './direct-message.js';
import { registerFollowUp } from './follow-up.js';
import { registerReasonButtons } from './reason-button.js';
import { registerReasonSubmitted } from './reason-submitted.js';
import { registerSlashCommand } from './slash-command.js';

export function registerListeners(app: App, ctx: BotContext): void {
  registerAppMention(app, ctx);
  registerDirectMessage(app, ctx);
  registerSlashCommand(app, ctx);
  registerAppHome(app, ctx);
  registerFollowUp(app, ctx);
  registerApprove(app, ctx);
  registerReasonButtons(app, ctx);
  registerReasonSubmitted(app, ctx);
}
