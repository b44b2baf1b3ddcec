import { randomUUID } from 'node:crypto';
import { HELIX_MESSAGES } from './messages.js';
import { fail, ok, requireUserScope, type HelixContext } from './helix-context.js';

function field(ctx: HelixContext, name: string): string | undefined {
  const { body } = ctx;
  const v = body instanceof URLSearchParams ? body.get(name) : body?.[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

/**
 * POST /chat/messages (JSON body). Only recorded and announced as a 'chat-message' event:
 * the chat stand-in is what viewers "see".
 */
export function sendChatMessage(ctx: HelixContext) {
  const sender = requireUserScope(ctx, ['user:write:chat']);
  const broadcasterId = field(ctx, 'broadcaster_id');
  const senderId = field(ctx, 'sender_id');
  const message = field(ctx, 'message');
  if (!broadcasterId) fail(400, HELIX_MESSAGES.missingParam('broadcaster_id'));
  if (!senderId) fail(400, HELIX_MESSAGES.missingParam('sender_id'));
  if (message === undefined || message === '') fail(400, HELIX_MESSAGES.missingParam('message'));
  if (senderId !== sender.id) fail(401, HELIX_MESSAGES.chatSenderMismatch);
  if (!ctx.world.userById(broadcasterId)) fail(400, HELIX_MESSAGES.unknownBroadcaster);
  if (message.length > 500) fail(422, HELIX_MESSAGES.chatTooLarge);
  if (ctx.world.channel(broadcasterId).botBanned && sender.id !== broadcasterId)
    return ok({
      data: [
        {
          message_id: '',
          is_sent: false,
          drop_reason: { code: 'user_banned', message: 'You are banned from this channel.' },
        },
      ],
    });
  const messageId = randomUUID();
  const reply = field(ctx, 'reply_parent_message_id');
  ctx.events.emit('chat-message', {
    messageId,
    broadcasterId,
    senderId,
    message,
    ...(reply ? { replyParentMessageId: reply } : {}),
    at: ctx.now,
  });
  return ok({ data: [{ message_id: messageId, is_sent: true }] });
}
