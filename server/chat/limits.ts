// Limits shared by the server's validation and the client's forms.
export const MESSAGE_TEXT_MAX = 4000
/** UTF-16 units in one reaction: room for a ZWJ family or a flag, not for a sentence. */
export const REACTION_EMOJI_MAX = 16
export const ROOM_NAME_MAX = 80
export const HISTORY_PAGE_DEFAULT = 50
export const HISTORY_PAGE_MAX = 100
export const USER_NAME_MAX = 80
export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 128
/** Largest WebSocket frame the server accepts: a max-length message plus JSON overhead. */
export const WS_MAX_PAYLOAD_BYTES = 64 * 1024
/** Calls per batched HTTP request; the client's batch link uses the same number. */
export const HTTP_MAX_BATCH_SIZE = 20
/** A typist is announced at most this often per room; the composer sends no more often either. */
export const TYPING_THROTTLE_MS = 2_000
/** Unread counts stop here: a badge shows "99+" from it on, and counting stays cheap. */
export const UNREAD_COUNT_CAP = 100
/**
 * Unread and mention counts look at no more than this many of a room's newest messages after the
 * read marker: a room of a million of your own messages costs the same to list as a quiet one.
 */
export const UNREAD_SCAN_WINDOW = 500
/** Search: the longest query, and the most results one search returns. */
export const SEARCH_QUERY_MAX = 200
export const SEARCH_RESULTS_MAX = 30
