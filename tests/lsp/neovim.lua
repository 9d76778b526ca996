-- neovim.lua: ctlc lsp under Neovim's own LSP client (headless), as an
-- editor drives it: open a spec with an error, see the diagnostic, hover,
-- go to the definition in the imported spec, list the symbols, find the
-- references, complete a type, fix the error with its quick fix (the code
-- action's edit applied to the buffer: an incremental change), see the
-- diagnostics clear, stop.
--   CTLC=path/to/ctlc SPECS=tests/lsp/specs nvim --headless -u NONE -i NONE -c "luafile neovim.lua"
-- Uses vim.lsp.start_client (Neovim 0.7 on); exits 1 naming the first
-- thing that differs.
local ctlc, specs = os.getenv("CTLC"), os.getenv("SPECS")
local function fail(what)
  io.stderr:write("neovim.lua: " .. what .. "\n")
  vim.cmd("cquit 1")
end
local function check(ok, what)
  if not ok then fail(what) end
end

-- The specs, into a folder of their own, with an error in shop.ctl.
local dir = vim.fn.tempname()
vim.fn.mkdir(dir, "p")
for _, name in ipairs({ "shop.ctl", "common.ctl" }) do
  local text = table.concat(vim.fn.readfile(specs .. "/" .. name), "\n") .. "\n"
  if name == "shop.ctl" then text = text:gsub("pay: Payment;", "pay: Paymnt;") end
  local f = io.open(dir .. "/" .. name, "w")
  f:write(text)
  f:close()
end

local id = vim.lsp.start_client({ name = "ctlc", cmd = { ctlc, "lsp" }, root_dir = dir })
check(id, "the client did not start")
vim.cmd("edit " .. dir .. "/shop.ctl")
vim.lsp.buf_attach_client(0, id)

vim.wait(10000, function() return #vim.diagnostic.get(0) > 0 end, 20)
local diags = vim.diagnostic.get(0)
check(#diags == 1, "expected one diagnostic, got " .. #diags)
check(diags[1].message == "unknown type 'Paymnt'; did you mean 'Payment'?", "diagnostic: " .. diags[1].message)
check(diags[1].lnum == 11 and diags[1].col == 13, "diagnostic at " .. diags[1].lnum .. ":" .. diags[1].col)

-- The cursor on Item in `items: list<Item>;` (line 11, 1-based).
vim.api.nvim_win_set_cursor(0, { 11, 21 })
local params = vim.lsp.util.make_position_params()
local function ask(method, p)
  local replies = vim.lsp.buf_request_sync(0, method, p, 10000)
  check(replies and replies[id], method .. ": no reply")
  check(not replies[id].err, method .. ": " .. vim.inspect(replies[id].err))
  return replies[id].result
end
local hover = ask("textDocument/hover", params)
check(hover and hover.contents.value:find("struct Item", 1, true), "hover: " .. vim.inspect(hover))
local def = ask("textDocument/definition", params)
check(def and def.uri == vim.uri_from_fname(dir .. "/common.ctl") and def.range.start.line == 6,
      "definition: " .. vim.inspect(def))
local symbols = ask("textDocument/documentSymbol", { textDocument = vim.lsp.util.make_text_document_params() })
check(#symbols == 2 and symbols[2].name == "orders" and symbols[2].children[1].name == "place",
      "symbols: " .. vim.inspect(symbols))

local refs = ask("textDocument/references", vim.tbl_extend("force", params, { context = { includeDeclaration = true } }))
check(refs and #refs == 2, "references to Item: " .. vim.inspect(refs))
vim.api.nvim_win_set_cursor(0, { 11, 20 }) -- after "items: list<"
local items = ask("textDocument/completion", vim.lsp.util.make_position_params()).items
local labels = {}
for _, item in ipairs(items) do labels[item.label] = true end
check(labels["Item"] and labels["Payment"] and labels["string"], "completion: " .. vim.inspect(labels))

-- Fix the error with its quick fix: the code action's edit applied to the
-- buffer (an incremental didChange), then no diagnostics.
local actions = ask("textDocument/codeAction", {
  textDocument = vim.lsp.util.make_text_document_params(),
  range = { start = { line = 11, character = 13 }, ["end"] = { line = 11, character = 13 } },
  context = { diagnostics = {} },
})
check(#actions == 1 and actions[1].title == "Change 'Paymnt' to 'Payment'" and actions[1].isPreferred,
      "code actions: " .. vim.inspect(actions))
vim.lsp.util.apply_workspace_edit(actions[1].edit, "utf-16")
check(vim.api.nvim_buf_get_lines(0, 11, 12, false)[1] == "        pay: Payment;", "the quick fix's edit")
vim.wait(10000, function() return #vim.diagnostic.get(0) == 0 end, 20)
check(#vim.diagnostic.get(0) == 0, "the diagnostic stayed after the fix")

vim.lsp.stop_client(id)
vim.wait(10000, function() return vim.lsp.client_is_stopped(id) end, 20)
check(vim.lsp.client_is_stopped(id), "the server did not stop")
vim.fn.delete(dir, "rf")
io.stdout:write("neovim.lua: ctlc lsp under Neovim " .. tostring(vim.version().major) .. "." ..
                tostring(vim.version().minor) .. ": as expected\n")
vim.cmd("qall!")
