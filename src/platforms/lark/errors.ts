// Lark failures -> PlatformError with a code the app can explain (src/i18n `platform.*`).
// The SDK's client throws axios errors for any non-2xx answer; Lark's business errors come as
// HTTP 400 with a non-zero `code` (a few old endpoints answer HTTP 200 with one: check both).
// Error codes: https://open.feishu.cn/document/server-docs/api-call-guide/generic-error-code,
// the tables of https://open.feishu.cn/document/server-docs/im-v1/message/create and
// https://open.feishu.cn/document/server-docs/group/chat/create
// Rate limits: HTTP 429 / code 99991400, wait `x-ogw-ratelimit-reset` seconds
// (https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control).
import { PlatformError, type PlatformErrorCode } from '../../domain/errors.ts';

const CODE_OF: Record<number, PlatformErrorCode> = {
  99991400: 'rate_limited',
  230002: 'not_in_channel', // the bot is not in the group (messages)
  232011: 'not_in_channel', // the operator (bot) is not in the chat (chat APIs)
  232006: 'channel_not_found', // invalid chat_id
  230011: 'message_not_found', // the message was recalled
  230013: 'user_not_found', // the user is outside the bot's availability
  41050: 'user_not_found', // contact: no authority over / no such user
  230027: 'missing_scope', // lacks permissions
  99991672: 'missing_scope', // the app lacks a scope
  99991679: 'missing_scope', // the user did not grant a scope
  99991661: 'missing_scope', // missing access token
  99991663: 'missing_scope', // invalid access token
  10014: 'missing_scope', // wrong app secret
  234002: 'missing_scope', // image upload: unauthorized (https://open.feishu.cn/document/server-docs/im-v1/image/create)
  234007: 'missing_scope', // image upload: the app has no bot ability
};

interface AxiosLike {
  message?: string;
  code?: string;
  response?: { status?: number; data?: { code?: number; msg?: string }; headers?: Record<string, unknown> };
}

/** A Lark answer with `code != 0` (HTTP 200) as an error. */
export function larkRefusal(res: { code?: number; msg?: string }, retryAfter?: number): PlatformError {
  const code = Number(res.code);
  return new PlatformError(
    CODE_OF[code] ?? 'api_error',
    String(code),
    `Lark refused: ${code} ${res.msg ?? ''}`.trim(),
    retryAfter,
  );
}

export function toPlatformError(e: unknown): PlatformError {
  if (e instanceof PlatformError) return e;
  const err = e as AxiosLike;
  const r = err.response;
  if (r) {
    const reset = Number(r.headers?.['x-ogw-ratelimit-reset']);
    const retryAfter = Number.isFinite(reset) && reset > 0 ? Math.ceil(reset) : undefined;
    if (r.status === 429 || r.data?.code === 99991400)
      return new PlatformError('rate_limited', '99991400', 'Lark rate limit', retryAfter ?? 1, { cause: e });
    // A gateway or server error says nothing about the request itself: retry it like a network fault.
    if ((r.status ?? 0) >= 500)
      return new PlatformError('network', `http_${r.status}`, `Lark answered HTTP ${r.status}`, undefined, {
        cause: e,
      });
    if (typeof r.data?.code === 'number' && r.data.code !== 0) {
      const pe = larkRefusal(r.data);
      return new PlatformError(pe.code, pe.platformCode, pe.message, undefined, { cause: e });
    }
    return new PlatformError('network', `http_${r.status}`, `Lark answered HTTP ${r.status}`, undefined, { cause: e });
  }
  if (err.code && /^(ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ERR_NETWORK|ECONNABORTED)/.test(err.code))
    return new PlatformError('network', err.code, `Lark unreachable: ${err.message}`, undefined, { cause: e });
  return new PlatformError('api_error', 'unknown', String(err.message ?? e), undefined, { cause: e });
}
