// The Teams bot: the only module (with its files) that imports botbuilder and adaptivecards.
export { createTeamsBot, type TeamsBot, type TeamsBotOptions } from './bot.js';
export { type BotFrameworkEndpoints, type TeamsCredentials, type TeamsMode, teamsAuthentication } from './auth.js';
export { DEFAULT_SERVICE_HOSTS, serviceUrlPolicy } from './service-url.js';
export { renderReplyCard, followUpAction, ASK_KEY } from '../../src/chat/cards/adaptive/reply.js';
export { renderApprovalCard, approvalActionData, REFRESH_VERB, COMMENT_INPUT, reasonInput, type ApprovalView } from '../../src/chat/cards/adaptive/approval.js';
export { renderErrorCard, renderWelcomeCard } from '../../src/chat/cards/adaptive/notes.js';
export { type AdaptiveCardJson, CARD_CONTENT_TYPE, MAX_CARD_JSON } from '../../src/chat/cards/adaptive/card.js';
export { cardIssues, parsedCard, type CardIssue } from './validate.js';
export { encodeConversation, decodeConversation } from './conversation.js';
export { ReferenceStore } from './references.js';
export type { BotHttpRequest, BotHttpResult } from './http.js';
