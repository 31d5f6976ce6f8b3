// The spend server's tools, one per file.
import type { ToolRegistrar } from '../../shared/deps.js';

export const spendTools: ToolRegistrar[] = [];
