// The Slack bot: the only module that imports @slack/bolt.
export { type SlackBot, type SlackBotOptions, createBoltApp, createSlackBot } from './bot.js';
export { checkBlockKitLimits, checkMessageLimits, checkViewLimits, LIMITS } from './blocks/limits.js';
export { renderReply } from './blocks/reply.js';
export { renderApprovalCard } from './blocks/approval.js';
export { renderHome } from './blocks/home.js';
export { renderReasonModal } from './blocks/modal.js';
export { HonoReceiver } from './receiver.js';
export { signSlackRequest, verifySlackSignature } from './signature.js';
export { decodeConversation, encodeConversation } from './conversation.js';
