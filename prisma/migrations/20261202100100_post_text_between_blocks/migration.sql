-- Plain text of posts written before markdownToText() put a space where one block ends and
-- the next begins (app/markdown/markdown.server.ts): "quoted line<br>second quoted line" had
-- become "quoted linesecond quoted line" in profiles, search and emails. The stored HTML still
-- has the edges, so the text is taken again from it, as markdownToText() now does: a space
-- for each line break or block edge, no other tags, sanitize-html's escapes undone.
UPDATE "ForumPost"
SET "bodyText" = btrim(regexp_replace(
  replace(replace(replace(replace(replace(
    regexp_replace(
      regexp_replace("bodyHtml", '</?(br|hr|p|div|li|ul|ol|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th)\y[^>]*>', ' ', 'gi'),
      '<[^>]*>', '', 'g'),
    '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&'),
  '\s+', ' ', 'g'))
WHERE "bodyHtml" ~ '<br|<li>';
