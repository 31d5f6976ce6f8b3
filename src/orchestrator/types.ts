// Channel-neutral conversation types: Slack, Teams and the CLI turn their input into an InboundMessage and
// render a Reply; the orchestrator never knows which platform it serves.
import type { ProposedAction } from '../domain/proposed-action.js';
import type { UserRef } from '../domain/user.js';

export type Channel = 'slack' | 'teams' | 'cli' | 'http';

/** A message from a person, wherever it came from. */
export type InboundMessage = {
  channel: Channel;
  /** Conversation/thread id on that channel: follow-ups resolve against earlier turns of the same thread. */
  conversationId: string;
  user: UserRef;
  text: string;
  attachments?: { name: string; url?: string; contentType?: string }[];
};

/** What governance made of a proposed action in this turn. */
export type ActionDecision = {
  kind: string;
  summary: string;
  outcome: 'auto' | 'needs_approval' | 'deny';
  /** The policy's plain-language reason, citing the rule. */
  reason: string;
  /**
   * The approval it waits for. `attached`: an equal request was already pending, so this one joined that approval
   * instead of filing another; `requester` and `requestedAt` say who asked first and when.
   */
  approval?: { id: string; number: number; waitingFor: string[]; attached?: boolean; requester?: string; requestedAt?: string };
  /** For actions run under an agent's autonomy: what happened. */
  result?: string;
};

export type Fact = { label: string; value: string };

/** A picture that goes with an answer (a forecast chart): base64 bytes, a title, and words for who cannot see it. */
export type ReplyImage = { mimeType: 'image/png'; data: string; title: string; alt: string };
export type Source = { title: string; ref: string };

/** What the person gets back: the answer or decision first, then the evidence. */
export type Reply = {
  headline: string;
  facts: Fact[];
  table?: { columns: string[]; rows: string[][] };
  sources: Source[];
  actions: ProposedAction[];
  /** Governance's verdict on each proposed action (absent when no governance is connected). */
  decisions?: ActionDecision[];
  suggestions: string[];
  /** Agents that failed or timed out, so the answer is marked as partial. */
  degraded: { agent: string; reason: string }[];
  rationale: string[];
  /** Charts of the answer, for channels that show pictures (chat); never stored with the turn. */
  images?: ReplyImage[];
};

/** One tool call an agent made, with its latency. */
export type ToolCall = { tool: string; args: Record<string, unknown>; ms: number; isError: boolean };
