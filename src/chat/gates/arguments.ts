import { UserError, type OptionValue } from '../../core/command.js';
import {
  optionsFor,
  parseResolved,
  usageLine,
  validateStructuredOptions,
} from '../../core/chat-syntax.js';
import { commandContext } from './context.js';
import { PASS, type Gate, type GateCall } from './gate.js';

/**
 * The arguments: their syntax, then the command's own validate(), before any cooldown is
 * taken. A mistake is a UserError, answered like the command's own.
 */
export const argumentsGate: Gate = async (call, state) => {
  const { input, target, services } = call;
  const options = parseOptions(call);
  state.ctx = commandContext(
    input,
    target,
    services,
    options,
    state.twitchChannel,
    state.terms?.settings,
  );
  if (target.def.validate) await target.def.validate(state.ctx);
  return PASS;
};

function parseOptions({
  input,
  target,
  services,
}: GateCall): Record<string, OptionValue | undefined> {
  const { def, sub } = target;
  if (input.structured) {
    if (def.subcommands?.length && !sub) {
      throw new UserError(`Usage: ${usageLine(def, undefined, input.platform, '/')}`);
    }
    return validateStructuredOptions(
      optionsFor(def, sub, input.platform),
      input.structured.options,
      usageLine(def, sub, input.platform, '/'),
    );
  }
  const prefix = services.config.CHAT_COMMAND_PREFIX;
  return parseResolved({ ...target, args: target.args ?? '' }, prefix, input.platform);
}
