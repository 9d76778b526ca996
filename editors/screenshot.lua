-- screenshot.lua: the Neovim side of editors/screenshot.py. Highlights
-- specs with editors/vim, starts `ctlc lsp` on the spec named by $SPEC
-- (with Neovim's own client), waits for its diagnostics, puts the cursor on
-- $HOVER_LINE:$HOVER_COL and asks for a hover; sets g:screenshot_ready
-- once the hover's window is open. Colors are set here (a dark scheme) so
-- that the picture does not depend on the defaults of a Neovim version.
local ctlc, spec = os.getenv("CTLC"), os.getenv("SPEC")
local hover_line, hover_col = tonumber(os.getenv("HOVER_LINE")), tonumber(os.getenv("HOVER_COL"))

vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = "yes"
vim.o.laststatus = 0
vim.o.ruler = false
vim.o.showmode = false
vim.cmd("syntax on")
vim.cmd("filetype on")
local colors = {
  Normal = { fg = "#d4d4d4", bg = "#1e1e1e" },
  LineNr = { fg = "#6e7681" },
  SignColumn = { bg = "#1e1e1e" },
  EndOfBuffer = { fg = "#1e1e1e" },
  Comment = { fg = "#6a9955" },
  SpecialComment = { fg = "#8fbf7f", italic = true },
  Keyword = { fg = "#569cd6" },
  Structure = { fg = "#569cd6" },
  Type = { fg = "#4ec9b0" },
  Boolean = { fg = "#569cd6" },
  String = { fg = "#ce9178" },
  Number = { fg = "#b5cea8" },
  PreProc = { fg = "#c586c0" },
  Operator = { fg = "#d4d4d4" },
  NormalFloat = { fg = "#d4d4d4", bg = "#2d2d30" },
  FloatBorder = { fg = "#6e7681", bg = "#2d2d30" },
  DiagnosticError = { fg = "#f14c4c" },
  DiagnosticVirtualTextError = { fg = "#f14c4c", bg = "#3a1d1d" },
  DiagnosticUnderlineError = { sp = "#f14c4c", undercurl = true },
  DiagnosticSignError = { fg = "#f14c4c" },
}
for group, spec_ in pairs(colors) do
  vim.api.nvim_set_hl(0, group, spec_)
end

local id = vim.lsp.start_client({ name = "ctlc", cmd = { ctlc, "lsp" }, root_dir = vim.fn.fnamemodify(spec, ":h") })
vim.cmd("edit " .. spec)
vim.lsp.buf_attach_client(0, id)
vim.wait(10000, function() return #vim.diagnostic.get(0) > 0 end, 20)
vim.api.nvim_win_set_cursor(0, { hover_line, hover_col })
vim.lsp.buf.hover()
vim.wait(10000, function() return #vim.api.nvim_list_wins() > 1 end, 20)
vim.g.screenshot_ready = #vim.api.nvim_list_wins() > 1 and #vim.diagnostic.get(0) > 0
