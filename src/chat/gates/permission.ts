import type { SubcommandDefinition } from '../../core/command.js';
import { hasPermission, permissionFor, refusalText } from '../../core/permissions.js';
import { PASS, commandName, refusal, type Gate, type Target } from './gate.js';

/** The caller may run it: checked on every call, never remembered per user. */
export const permissionGate: Gate = async (call, { terms }) => {
  const { input, target } = call;
  const own = terms?.permission;
  const required = own?.required ?? permissionFor(target.def, target.sub, input.platform);
  if (hasPermission(input.user, required)) return PASS;
  const text = own?.refusal ?? refusalText(required, commandName(call, ruledSub(target)));
  return refusal(call, `permission:${target.def.name}`, text);
};

/** The subcommand a refusal should name: one with a rule of its own, typed by the user. */
function ruledSub(target: Target): SubcommandDefinition | undefined {
  const { sub } = target;
  if (!sub || target.viaDefault) return undefined;
  return sub.permission !== undefined || sub.permissionOn !== undefined ? sub : undefined;
}
