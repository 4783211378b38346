-- A conversation its member left stays theirs: hidden up to this seq, shown again by a later message.
ALTER TABLE "Membership" ADD COLUMN "hiddenThroughSeq" INTEGER;

-- Public room names are unique whatever their case. Rooms that already share a name keep their
-- messages and members; all but the oldest get a number: "general (2)", "general (3)".
WITH ranked AS (
  SELECT id, row_number() OVER (PARTITION BY lower(name) ORDER BY "createdAt", id) AS n
  FROM "Room" WHERE "isPublic" AND "directKey" IS NULL
)
UPDATE "Room" r SET name = r.name || ' (' || ranked.n || ')'
FROM ranked WHERE ranked.id = r.id AND ranked.n > 1;

CREATE UNIQUE INDEX "Room_public_name_key" ON "Room" (lower(name)) WHERE "isPublic";
