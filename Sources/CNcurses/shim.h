// ncursesw with wide characters (Debian: libncursesw5-dev / libncurses-dev).
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

// Macros Swift cannot import, as functions.
static inline WINDOW *bp_stdscr(void) { return stdscr; }
static inline int bp_lines(void) { return LINES; }
static inline int bp_cols(void) { return COLS; }
static inline int bp_colors(void) { return COLORS; }
static inline int bp_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t bp_attr_bold(void) { return A_BOLD; }
static inline attr_t bp_attr_dim(void) { return A_DIM; }
static inline attr_t bp_attr_reverse(void) { return A_REVERSE; }
static inline attr_t bp_attr_normal(void) { return A_NORMAL; }

// Whether terminfo knows the terminal type `name` (NULL: $TERM), looked up without touching
// any terminal or installing any signal handler: 1 known, 0 unknown, -1 no terminfo database.
#include <ncursesw/term.h>
static inline int bp_terminal_type_known(const char *name) {
    int err = 0;
    TERMINAL *saved = cur_term;
    if (setupterm(name, -1, &err) != OK) { set_curterm(saved); return err == -1 ? -1 : 0; }
    TERMINAL *found = cur_term;
    set_curterm(saved);
    del_curterm(found);
    return 1;
}
