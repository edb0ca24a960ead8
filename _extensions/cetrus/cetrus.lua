-- cetrus.lua: the shortcodes of a cetrus study's Quarto project.
--
--   {{< cetrus include PATH >}}
--
-- inserts a Markdown file that `cetrus analyze` wrote (a passage, a table), PATH relative
-- to the document, like Quarto's own {{< include >}}. Quarto resolves its own includes
-- before the project's pre-render step runs, so on a fresh clone (no results yet) they
-- fail; an extension's shortcodes run at render time, after pre-render has written the
-- results. The file's text is parsed as Quarto Markdown, so the cross-reference targets
-- it carries (`::: {#tbl-x}`, `::: {#fig-x}`) are numbered with the document's own.
-- `cetrus render` (pandoc, without Quarto) resolves the same shortcode the same way.

local function fail(message)
  error("cetrus: " .. message, 0)
end

local function document_dir()
  local input = quarto.doc.input_file
  if input == nil or input == "" then
    return pandoc.system.get_working_directory()
  end
  return pandoc.path.directory(input)
end

local function read_file(path)
  local handle = io.open(path, "rb")
  if handle == nil then
    return nil
  end
  local text = handle:read("a")
  handle:close()
  return text
end

local function include(args)
  if #args ~= 2 then
    fail("usage: {{< cetrus include PATH >}} (PATH relative to the document)")
  end
  local target = pandoc.utils.stringify(args[2])
  local path = target
  if not pandoc.path.is_absolute(path) then
    path = pandoc.path.join({ document_dir(), target })
  end
  local text = read_file(path)
  if text == nil then
    fail("{{< cetrus include " .. target .. " >}}: " .. path ..
         " not found; the project's pre-render step (cetrus prepare) writes it")
  end
  return quarto.utils.string_to_blocks(text)
end

local verbs = { include = include }

return {
  ["cetrus"] = function(args, kwargs, meta)
    if #args < 1 then
      fail("a cetrus shortcode names what it does: {{< cetrus include PATH >}}")
    end
    local verb = pandoc.utils.stringify(args[1])
    local handler = verbs[verb]
    if handler == nil then
      fail("unknown shortcode {{< cetrus " .. verb .. " >}}; known: include")
    end
    return handler(args)
  end
}
