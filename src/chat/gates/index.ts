import { argumentsGate } from './arguments.js';
import { channelGate } from './channel.js';
import { cooldownGate } from './cooldown.js';
import { enabledGate } from './enabled.js';
import type { Gate } from './gate.js';
import { permissionGate } from './permission.js';
import { repeatGate } from './repeat.js';

export { platformGate } from './platform.js';
export { commandContext } from './context.js';
export { giveBack } from './cooldown.js';
export type { Gate, GateCall, GateState, GateWindows, Notice, Target } from './gate.js';

/**
 * The gates a call passes after the platform gate, in this order (README "One request's
 * path"). The repeat gate's mark is taken by the cooldown gate, first.
 */
export const CALL_GATES: readonly Gate[] = [
  channelGate,
  enabledGate,
  permissionGate,
  argumentsGate,
  repeatGate,
  cooldownGate,
];
