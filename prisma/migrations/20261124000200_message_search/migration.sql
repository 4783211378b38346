-- Full-text search within a room's history (message.search). The 'simple' configuration neither
-- stems nor drops stop words, so it behaves the same for every language people chat in.
-- CreateIndex
CREATE INDEX "Message_text_search_idx" ON "Message" USING GIN (to_tsvector('simple', "text"));
