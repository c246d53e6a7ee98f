//! NumPy view expressions, parsed: what a learner types in the strides explorer.
//!
//! ```text
//!  x[:, 7:-7:2]          index: ints, start:stop:step, None / np.newaxis, ...
//!  x.T   x.reshape(4, 3)   x.transpose(1, 0)   x.swapaxes(0, 1)   x.squeeze()
//!  x.flatten()   x.ravel()   x.copy()
//!  np.broadcast_to(x, (3, 4))   np.expand_dims(x, 0)   np.transpose(x)   np.reshape(x, -1)
//! ```
//!
//! Every op takes one tensor and gives one, so an expression is the base `x` followed by a list
//! of [`Op`]s applied in order (`np.reshape(x.T, 12)` is `[T, Reshape([12])]`).

/// The longest expression accepted: the explorer is for one-liners.
pub const MAX_LEN: usize = 400;

/// One entry of `x[...]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// A single index (negative counts from the end).
    Int(isize),
    /// `start:stop:step`, each part optional.
    Slice(Option<isize>, Option<isize>, Option<isize>),
    /// `None` or `np.newaxis`.
    NewAxis,
    /// `...`: as many `:` as the other entries leave.
    Ellipsis,
}

/// One step of an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// `[items]`.
    Index(Vec<Item>),
    /// `.T`, `.transpose()`, `np.transpose(x)`.
    T,
    /// `.transpose(axes)`.
    Permute(Vec<isize>),
    /// `.reshape(shape)` (`-1` once allowed).
    Reshape(Vec<isize>),
    /// `.swapaxes(a, b)`.
    SwapAxes(isize, isize),
    /// `np.expand_dims(x, axis)`.
    ExpandDims(isize),
    /// `.squeeze()` or `.squeeze(axis)`.
    Squeeze(Option<isize>),
    /// `np.broadcast_to(x, shape)`.
    BroadcastTo(Vec<isize>),
    /// `.ravel()`: a view when the layout allows, else a copy.
    Ravel,
    /// `.flatten()` and `.copy()`: always a copy.
    Copy,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Int(isize),
    Sym(char),
    Dots,
}

fn tokens(src: &str) -> Result<Vec<(usize, Tok)>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let v = text.parse::<isize>().map_err(|_| format!("number too large at column {}", start + 1))?;
            out.push((start, Tok::Int(v)));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((start, Tok::Ident(chars[start..i].iter().collect())));
        } else if c == '.' && chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') {
            out.push((i, Tok::Dots));
            i += 3;
        } else if "[](),:.-".contains(c) {
            out.push((i, Tok::Sym(c)));
            i += 1;
        } else {
            return Err(format!("unexpected {c:?} at column {}", i + 1));
        }
    }
    Ok(out)
}

/// Parses an expression on `x` into the ops it applies, or says where it went wrong.
///
/// ```
/// use tessera_web::view_expr::{parse, Item, Op};
/// assert_eq!(
///     parse("x[:, ::-2].T").unwrap(),
///     vec![Op::Index(vec![Item::Slice(None, None, None), Item::Slice(None, None, Some(-2))]), Op::T]
/// );
/// assert!(parse("x[1:2:3:4]").is_err());
/// ```
pub fn parse(src: &str) -> Result<Vec<Op>, String> {
    if src.len() > MAX_LEN {
        return Err(format!("expression longer than {MAX_LEN} characters"));
    }
    let mut p = Parser { toks: tokens(src)?, pos: 0, end: src.chars().count() };
    let ops = p.expr()?;
    match p.toks.get(p.pos) {
        None => Ok(ops),
        Some((col, t)) => Err(format!("unexpected {} at column {}", describe(t), col + 1)),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Int(v) => format!("`{v}`"),
        Tok::Sym(c) => format!("`{c}`"),
        Tok::Dots => "`...`".into(),
    }
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn col(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(c, _)| *c) + 1
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&Tok::Sym(c)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.eat(c) { Ok(()) } else { Err(format!("expected `{c}` at column {}", self.col())) }
    }

    fn ident(&mut self) -> Result<String, String> {
        match self.peek().cloned() {
            Some(Tok::Ident(s)) => {
                self.pos += 1;
                Ok(s)
            }
            _ => Err(format!("expected a name at column {}", self.col())),
        }
    }

    fn int(&mut self) -> Result<isize, String> {
        let neg = self.eat('-');
        match self.peek().cloned() {
            Some(Tok::Int(v)) => {
                self.pos += 1;
                Ok(if neg { -v } else { v })
            }
            _ => Err(format!("expected an integer at column {}", self.col())),
        }
    }

    fn starts_int(&self) -> bool {
        matches!(self.peek(), Some(Tok::Int(_)) | Some(Tok::Sym('-')))
    }

    /// `x`, or a function of an expression, followed by postfix ops.
    fn expr(&mut self) -> Result<Vec<Op>, String> {
        let col = self.col();
        let mut name = self.ident()?;
        if name == "np" {
            self.expect('.')?;
            name = self.ident()?;
        }
        let mut ops = if name == "x" {
            Vec::new()
        } else {
            self.expect('(')?;
            let mut ops = self.expr()?;
            ops.push(self.function(&name, col)?);
            self.expect(')')?;
            ops
        };
        loop {
            if self.eat('[') {
                ops.push(Op::Index(self.items()?));
                self.expect(']')?;
            } else if self.eat('.') {
                let col = self.col();
                let m = self.ident()?;
                if m == "T" {
                    ops.push(Op::T);
                    continue;
                }
                self.expect('(')?;
                ops.push(self.method(&m, col)?);
                self.expect(')')?;
            } else {
                return Ok(ops);
            }
        }
    }

    /// The arguments after the array in `np.name(x, ...)`.
    fn function(&mut self, name: &str, col: usize) -> Result<Op, String> {
        let has_args = self.eat(',');
        match name {
            "broadcast_to" if has_args => Ok(Op::BroadcastTo(self.shape()?)),
            "expand_dims" if has_args => Ok(Op::ExpandDims(self.int()?)),
            "reshape" if has_args => Ok(Op::Reshape(self.shape()?)),
            "swapaxes" if has_args => self.two_axes(),
            "transpose" if has_args => Ok(Op::Permute(self.shape()?)),
            "transpose" => Ok(Op::T),
            "squeeze" => Ok(Op::Squeeze(if has_args { Some(self.int()?) } else { None })),
            "ravel" if !has_args => Ok(Op::Ravel),
            "copy" if !has_args => Ok(Op::Copy),
            _ => Err(format!("unknown function or wrong arguments: np.{name} at column {col}")),
        }
    }

    /// The arguments of `x.name(...)`.
    fn method(&mut self, name: &str, col: usize) -> Result<Op, String> {
        let empty = self.peek() == Some(&Tok::Sym(')'));
        match name {
            "reshape" if !empty => Ok(Op::Reshape(self.shape()?)),
            "transpose" if empty => Ok(Op::T),
            "transpose" => Ok(Op::Permute(self.shape()?)),
            "swapaxes" => self.two_axes(),
            "squeeze" => Ok(Op::Squeeze(if empty { None } else { Some(self.int()?) })),
            "ravel" if empty => Ok(Op::Ravel),
            "flatten" | "copy" if empty => Ok(Op::Copy),
            _ => Err(format!("unknown method or wrong arguments: .{name}() at column {col}")),
        }
    }

    fn two_axes(&mut self) -> Result<Op, String> {
        let a = self.int()?;
        self.expect(',')?;
        Ok(Op::SwapAxes(a, self.int()?))
    }

    /// `(2, 3)`, `[2, 3]` or `2, 3` (a trailing comma allowed, as in `(4,)`).
    fn shape(&mut self) -> Result<Vec<isize>, String> {
        let close = if self.eat('(') {
            Some(')')
        } else if self.eat('[') {
            Some(']')
        } else {
            None
        };
        let mut dims = vec![self.int()?];
        while self.eat(',') {
            if !self.starts_int() {
                break;
            }
            dims.push(self.int()?);
        }
        if let Some(c) = close {
            self.expect(c)?;
        }
        Ok(dims)
    }

    fn items(&mut self) -> Result<Vec<Item>, String> {
        let mut items = vec![self.item()?];
        while self.eat(',') {
            if self.peek() == Some(&Tok::Sym(']')) {
                break;
            }
            items.push(self.item()?);
        }
        Ok(items)
    }

    fn item(&mut self) -> Result<Item, String> {
        match self.peek().cloned() {
            Some(Tok::Dots) => {
                self.pos += 1;
                return Ok(Item::Ellipsis);
            }
            Some(Tok::Ident(s)) if s == "None" => {
                self.pos += 1;
                return Ok(Item::NewAxis);
            }
            Some(Tok::Ident(s)) if s == "np" => {
                self.pos += 1;
                self.expect('.')?;
                let col = self.col();
                return match self.ident()?.as_str() {
                    "newaxis" => Ok(Item::NewAxis),
                    other => Err(format!("np.{other} is not an index (column {col})")),
                };
            }
            _ => {}
        }
        let start = if self.starts_int() { Some(self.int()?) } else { None };
        if !self.eat(':') {
            return start.map(Item::Int).ok_or_else(|| format!("expected an index at column {}", self.col()));
        }
        let stop = if self.starts_int() { Some(self.int()?) } else { None };
        let step = if self.eat(':') && self.starts_int() { Some(self.int()?) } else { None };
        Ok(Item::Slice(start, stop, step))
    }
}

#[cfg(test)]
mod tests {
    use super::{Item, Op, parse};

    #[test]
    fn parses_the_forms_the_explorer_lists() {
        let s = |a, b, c| Item::Slice(a, b, c);
        assert_eq!(
            parse("x[:, 7:-7:2]").unwrap(),
            vec![Op::Index(vec![s(None, None, None), s(Some(7), Some(-7), Some(2))])]
        );
        assert_eq!(parse("x[None]").unwrap(), vec![Op::Index(vec![Item::NewAxis])]);
        assert_eq!(
            parse("x[..., np.newaxis, -1]").unwrap(),
            vec![Op::Index(vec![Item::Ellipsis, Item::NewAxis, Item::Int(-1)])]
        );
        assert_eq!(parse("x[::-1]").unwrap(), vec![Op::Index(vec![s(None, None, Some(-1))])]);
        assert_eq!(parse("x.reshape(4, 3).T[::-2]").unwrap().len(), 3);
        assert_eq!(parse("x.reshape((-1,))").unwrap(), vec![Op::Reshape(vec![-1])]);
        assert_eq!(parse("np.broadcast_to(x, (3, 4))").unwrap(), vec![Op::BroadcastTo(vec![3, 4])]);
        assert_eq!(parse("np.transpose(x[1:]).copy()").unwrap().len(), 3);
        assert_eq!(parse("expand_dims(x, -1)").unwrap(), vec![Op::ExpandDims(-1)]);
        assert_eq!(parse(" x . swapaxes ( 0 , 1 ) ").unwrap(), vec![Op::SwapAxes(0, 1)]);
    }

    #[test]
    fn errors_name_the_column() {
        assert_eq!(parse("y").unwrap_err(), "expected `(` at column 2");
        assert!(parse("x[1:2:3:4]").unwrap_err().contains("column 8"));
        assert!(parse("x.frobnicate()").unwrap_err().contains("frobnicate"));
        assert!(parse("x[").is_err());
        assert!(parse("x[99999999999999999999999]").unwrap_err().contains("too large"));
        assert!(parse("x + 1").unwrap_err().contains("unexpected '+'"));
        assert!(parse(&"x.T".repeat(200)).unwrap_err().contains("longer"));
    }
}
