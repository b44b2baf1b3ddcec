import { PASS, refusal, type Gate } from './gate.js';

/** The command is on in this channel (its channel policy says when it is not). */
export const enabledGate: Gate = async (call, { terms }) =>
  terms?.closed === undefined ? PASS : refusal(call, 'disabled', terms.closed);
