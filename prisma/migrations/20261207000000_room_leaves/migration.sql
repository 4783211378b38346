-- A leave takes a stream position, as a join does: every instance learns of it in stream order,
-- from the bus or, when the bus missed it, from the database, so no instance can go on handing
-- the room's messages to a member who left.
CREATE TABLE "RoomLeave" (
    "pos" BIGINT NOT NULL,
    "roomId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "leftAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoomLeave_pkey" PRIMARY KEY ("pos")
);

CREATE INDEX "RoomLeave_userId_pos_idx" ON "RoomLeave"("userId", "pos");

ALTER TABLE "RoomLeave" ADD CONSTRAINT "RoomLeave_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "RoomLeave" ADD CONSTRAINT "RoomLeave_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
