-- HTML rendered before images became links (app/markdown/markdown.server.ts): each <img>
-- sanitize-html wrote (https only, attributes quoted and escaped) becomes a link to its
-- address, as rendering the Markdown again would; one without an address goes.
UPDATE "ForumPost"
SET "bodyHtml" = regexp_replace(
  regexp_replace("bodyHtml", '<img[^>]*?\ssrc="([^"]*)"[^>]*>', '<a href="\1" rel="nofollow ugc noopener">\1</a>', 'g'),
  '<img[^>]*>', '', 'g')
WHERE "bodyHtml" LIKE '%<img%';

UPDATE "RoadmapItem"
SET "descriptionHtml" = regexp_replace(
  regexp_replace("descriptionHtml", '<img[^>]*?\ssrc="([^"]*)"[^>]*>', '<a href="\1" rel="nofollow ugc noopener">\1</a>', 'g'),
  '<img[^>]*>', '', 'g')
WHERE "descriptionHtml" LIKE '%<img%';

UPDATE "RoadmapComment"
SET "bodyHtml" = regexp_replace(
  regexp_replace("bodyHtml", '<img[^>]*?\ssrc="([^"]*)"[^>]*>', '<a href="\1" rel="nofollow ugc noopener">\1</a>', 'g'),
  '<img[^>]*>', '', 'g')
WHERE "bodyHtml" LIKE '%<img%';

-- Direction overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) out of the
-- titles already stored (app/markdown/bidi.ts).
UPDATE "ForumThread" SET "title" = regexp_replace("title", '[\u202A-\u202E\u2066-\u2069]', '', 'g')
WHERE "title" ~ '[\u202A-\u202E\u2066-\u2069]';

UPDATE "ForumPost" SET "title" = regexp_replace("title", '[\u202A-\u202E\u2066-\u2069]', '', 'g')
WHERE "title" ~ '[\u202A-\u202E\u2066-\u2069]';

UPDATE "RoadmapItem" SET "title" = regexp_replace("title", '[\u202A-\u202E\u2066-\u2069]', '', 'g')
WHERE "title" ~ '[\u202A-\u202E\u2066-\u2069]';
