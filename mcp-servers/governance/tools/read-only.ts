// Every governance tool only reads: deciding stays with the approvals service, behind its own checks.
export const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
