-- validate.sql — checks doc.json against schema.json (both in the current
-- directory) with SQLite's JSON functions, for the subset of JSON Schema that
-- docs/projection.schema.json uses: type, required, enum, and "$ref" to
-- "#/$defs/NAME" (projections, and the objects a projection refers to).
-- Prints one line per violation, "path: problem"; nothing when valid.
WITH
s(s) AS (SELECT readfile('schema.json')),
d(d) AS (SELECT readfile('doc.json')),
-- json_type -> the JSON Schema types it satisfies
jt(sql, js) AS (VALUES ('integer', 'integer'), ('integer', 'number'), ('real', 'number'),
                       ('text', 'string'), ('null', 'null'), ('true', 'boolean'),
                       ('false', 'boolean'), ('object', 'object'), ('array', 'array')),
-- the projection's properties, with a "$ref" replaced by the definition
pp(key, def) AS (
  SELECT p.key, CASE WHEN json_extract(p.value, '$."$ref"') IS NOT NULL
                     THEN json_extract(s.s, '$."$defs".' || substr(json_extract(p.value, '$."$ref"'), 9))
                     ELSE p.value END
    FROM s, json_each(json_extract(s.s, '$."$defs".projection.properties')) p
),
-- (JSON path into the document, schema) of every node checked
node(path, def) AS (
  SELECT '$', s.s FROM s
  UNION ALL
  SELECT '$."' || p.key || '"', p.value FROM s, json_each(s.s, '$.properties') p
  UNION ALL
  SELECT '$.projections[' || j.key || ']', json_extract(s.s, '$."$defs".projection')
    FROM s, d, json_each(d.d, '$.projections') j
  UNION ALL
  SELECT '$.projections[' || j.key || ']."' || pp.key || '"', pp.def
    FROM d, json_each(d.d, '$.projections') j, pp
  UNION ALL
  SELECT '$.projections[' || j.key || ']."' || pp.key || '"."' || q.key || '"', q.value
    FROM d, json_each(d.d, '$.projections') j, pp,
         json_each(json_extract(pp.def, '$.properties')) q
)
-- missing required members
SELECT n.path || '."' || r.value || '": missing'
  FROM d, node n, json_each(json_extract(n.def, '$.required')) r
 WHERE json_type(d.d, n.path) = 'object'
   AND json_type(d.d, n.path || '."' || r.value || '"') IS NULL
UNION ALL
-- wrong types
SELECT n.path || ': ' || json_type(d.d, n.path) || ', expected ' || json_extract(n.def, '$.type')
  FROM d, node n
 WHERE json_extract(n.def, '$.type') IS NOT NULL AND json_type(d.d, n.path) IS NOT NULL
   AND NOT EXISTS (
     SELECT 1 FROM jt, json_each(CASE json_type(n.def, '$.type') WHEN 'array'
                                      THEN json_extract(n.def, '$.type')
                                      ELSE json_array(json_extract(n.def, '$.type')) END) want
      WHERE jt.sql = json_type(d.d, n.path) AND jt.js = want.value)
UNION ALL
-- strings outside an enum
SELECT n.path || ': "' || json_extract(d.d, n.path) || '" not in the enum'
  FROM d, node n
 WHERE json_extract(n.def, '$.enum') IS NOT NULL AND json_type(d.d, n.path) = 'text'
   AND NOT EXISTS (SELECT 1 FROM json_each(json_extract(n.def, '$.enum')) e
                    WHERE e.value = json_extract(d.d, n.path));
