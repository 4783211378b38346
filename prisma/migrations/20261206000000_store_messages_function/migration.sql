-- The statement that stores a batch of messages (server/chat/message-writer.ts), as a function:
-- PL/pgSQL keeps its plan for the session, so a send no longer plans this statement each time
-- (on the embedded database, where planning runs on the app's own CPU, a send costs about a third).
-- It keeps the rows whose author is a member of the room and whose clientId is new, takes that
-- many global stream positions (row lock on StreamCursor, held to commit), then each room's next
-- seqs, then inserts; every writer locks in that order, so positions and seqs are handed out in
-- commit order with no holes.
CREATE FUNCTION store_messages(
  p_ids text[], p_room_ids text[], p_author_ids text[], p_client_ids uuid[], p_texts text[],
  p_mention_ords int[], p_mention_user_ids text[]
)
RETURNS TABLE (ord int, id text, seq int, pos bigint, "createdAt" timestamp(3))
LANGUAGE plpgsql VOLATILE AS $store_messages$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    WITH input AS (
      SELECT * FROM unnest(
        p_ids::text[], p_room_ids::text[], p_author_ids::text[],
        p_client_ids::uuid[], p_texts::text[]
      ) WITH ORDINALITY AS i(id, room_id, author_id, client_id, text, ord)
    ),
    accepted AS (
      SELECT i.* FROM input i
      WHERE EXISTS (SELECT 1 FROM "Membership" m WHERE m."roomId" = i.room_id AND m."userId" = i.author_id)
        AND NOT EXISTS (SELECT 1 FROM "Message" x WHERE x."authorId" = i.author_id AND x."clientId" = i.client_id)
    ),
    total AS (SELECT count(*)::int AS n FROM accepted),
    cursor AS (
      UPDATE "StreamCursor" c SET pos = c.pos + total.n FROM total WHERE c.id = 1 RETURNING c.pos - total.n AS base_pos
    ),
    per_room AS (SELECT room_id, count(*)::int AS n FROM accepted GROUP BY room_id),
    rooms AS (
      UPDATE "Room" r SET "lastSeq" = r."lastSeq" + p.n FROM per_room p, cursor
      WHERE r.id = p.room_id
      RETURNING r.id AS room_id, r."lastSeq" - p.n AS base_seq, cursor.base_pos
    ),
    numbered AS (
      SELECT a.id, a.room_id, a.author_id, a.client_id, a.text, a.ord,
        rooms.base_seq + row_number() OVER (PARTITION BY a.room_id ORDER BY a.ord) AS seq,
        rooms.base_pos + row_number() OVER (ORDER BY a.ord) AS pos
      FROM accepted a JOIN rooms ON rooms.room_id = a.room_id
    ),
    inserted AS (
      INSERT INTO "Message" (id, "roomId", seq, pos, "authorId", "clientId", text)
      SELECT id, room_id, seq, pos, author_id, client_id, text FROM numbered
      RETURNING id, "createdAt"
    ),
    mentioned AS (
      INSERT INTO "MessageMention" ("messageId", "userId")
      SELECT inserted.id, mention.user_id
      FROM inserted JOIN numbered n ON n.id = inserted.id
      JOIN unnest(p_mention_ords::int[], p_mention_user_ids::text[]) AS mention(ord, user_id) ON mention.ord = n.ord
    )
    SELECT n.ord::int AS ord, n.id, n.seq::int AS seq, n.pos, inserted."createdAt"
    FROM numbered n JOIN inserted ON inserted.id = n.id;
END
$store_messages$;
