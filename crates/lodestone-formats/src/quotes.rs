//! Why this file exists: the csv crate reads leniently and has no strict mode — a file cut short
//! inside a quoted field loads with that field running to the end of the file, and `"abc"xyz`
//! loads as `abcxyz` — so a truncated download or a slip of a hand edit would change figures
//! without a word. Every CSV reader passes its bytes through [`QuoteCheck`] (whole, with
//! [`check_quotes`], or as they stream, through [`QuoteChecked`]), which refuses both with the
//! file, line and column.
//!
//! The rules are RFC 4180's, for quotes only:
//!
//! - a quote opens a quoted field only as the field's first byte (at the start of the file —
//!   after a UTF-8 byte-order mark, which the csv crate strips —, after a comma or a line end);
//! - inside a quoted field `""` is one literal quote, and `\r` and `\n` are part of the field;
//! - after the closing quote only a comma, `\r`, `\n` or the end of the file may follow;
//! - the end of the file inside a quoted field means the file was cut short.
//!
//! A quote inside an unquoted field (`5" pipe`, or ` "x"` after a space) is literal text, as the
//! csv crate reads it: such cells occur in real source files and mean what they say, and no
//! truncation can hide in them. Field counts, encodings and values are the readers' business.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

use lodestone_model::{Located, ModelError};

/// The UTF-8 byte-order mark the csv crate skips at the start of a file.
const BOM: &[u8; 3] = b"\xef\xbb\xbf";

/// Where the check is within a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the first byte of a field.
    FieldStart,
    /// Inside a field that did not start with a quote (quotes are literal here).
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: the closing quote, or the first of `""`.
    QuoteInQuoted,
}

/// What is wrong with a file's quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteFault {
    /// The file ends inside a quoted field (located at the field's opening quote).
    Truncated,
    /// A line break inside a quoted field of a file whose rows are one line each (located at
    /// the field's opening quote); see [`QuoteCheck::one_line_rows`].
    LineBreak,
    /// Text right after a closing quote (located at that text): the character found.
    TextAfterQuote(String),
}

/// A quote problem at a 1-based line and column (in characters) of the bytes checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteProblem {
    pub line: u64,
    pub column: u64,
    pub fault: QuoteFault,
}

impl QuoteProblem {
    /// What should have been there.
    pub fn expected(&self) -> &'static str {
        match self.fault {
            QuoteFault::Truncated => "a closing quote before the end of the file",
            QuoteFault::LineBreak => {
                "a closing quote before the end of the line (a row is one line in this file)"
            }
            QuoteFault::TextAfterQuote(_) => "a comma or a line end after the closing quote",
        }
    }

    /// What was there instead.
    pub fn found(&self) -> String {
        match &self.fault {
            QuoteFault::Truncated => {
                "end of file inside the quoted field that starts here".to_string()
            }
            QuoteFault::LineBreak => {
                "a line break inside the quoted field that starts here".to_string()
            }
            QuoteFault::TextAfterQuote(c) => c.clone(),
        }
    }

    /// The problem moved down by `lines` lines: for bytes that start at line `lines + 1` of
    /// their file (a chunk of a file read in parts, each starting at a line start).
    pub fn after_lines(mut self, lines: u64) -> Self {
        self.line += lines;
        self
    }

    /// The problem as a located error in `file`: `file:line:column: expected …, found …`.
    pub fn located(&self, file: &Path) -> Located {
        Located::new(
            file,
            self.line,
            self.column,
            "",
            format!("expected {}, found {}", self.expected(), self.found()),
        )
    }

    /// The problem as a parse error in `file`.
    pub fn error(&self, file: &Path) -> ModelError {
        ModelError::Parse(self.located(file))
    }
}

impl fmt::Display for QuoteProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: expected {}, found {}",
            self.line,
            self.column,
            self.expected(),
            self.found()
        )
    }
}

impl std::error::Error for QuoteProblem {}

/// A strict check of the quotes of comma-separated bytes, fed in pieces of any size
/// ([`QuoteCheck::feed`]) and closed with [`QuoteCheck::finish`] at the end of the bytes. The
/// first problem is kept: every later call returns it again.
#[derive(Debug, Clone)]
pub struct QuoteCheck {
    state: State,
    /// Line of the next byte (1-based).
    line: u64,
    /// Characters started on the current line so far.
    column: u64,
    /// Where the open quoted field's quote is.
    open_at: (u64, u64),
    /// Bytes of a byte-order mark matched at the start (0..=3), and whether that is decided.
    bom: usize,
    bom_decided: bool,
    one_line_rows: bool,
    problem: Option<QuoteProblem>,
}

impl Default for QuoteCheck {
    fn default() -> Self {
        QuoteCheck::new()
    }
}

impl QuoteCheck {
    /// A check at the start of a file.
    pub fn new() -> Self {
        QuoteCheck {
            state: State::FieldStart,
            line: 1,
            column: 0,
            open_at: (0, 0),
            bom: 0,
            bom_decided: false,
            one_line_rows: false,
            problem: None,
        }
    }

    /// Also refuses a line break inside a quoted field: for files whose rows are one line each
    /// (BACI), which are read in parts split at line ends, so that a quoted line break is an
    /// error wherever the parts happen to be cut.
    pub fn one_line_rows(mut self) -> Self {
        self.one_line_rows = true;
        self
    }

    /// Checks the next bytes.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), QuoteProblem> {
        if let Some(p) = &self.problem {
            return Err(p.clone());
        }
        let mut rest = bytes;
        if !self.bom_decided {
            rest = self.skip_bom(rest)?;
        }
        let mut i = 0;
        while i < rest.len() {
            // The bytes up to the next one that can change the check are only counted.
            let next = self
                .next_significant(&rest[i..])
                .map_or(rest.len(), |n| i + n);
            self.pass_over(&rest[i..next]);
            if next == rest.len() {
                break;
            }
            if let Err(p) = self.step(rest[next], &rest[next..]) {
                self.problem = Some(p.clone());
                return Err(p);
            }
            i = next + 1;
        }
        Ok(())
    }

    /// Where the next byte that can change the check is: a quote, and in a quoted field of a
    /// one-line-rows file a line end; the byte after a quote in a quoted field, whatever it is.
    fn next_significant(&self, bytes: &[u8]) -> Option<usize> {
        match self.state {
            State::QuoteInQuoted => Some(0),
            State::Quoted if self.one_line_rows => bytes
                .iter()
                .position(|&b| matches!(b, b'"' | b'\r' | b'\n')),
            _ => bytes.iter().position(|&b| b == b'"'),
        }
    }

    /// Bytes without a significant one: counted (lines, characters), the state following the
    /// last of them (in a field that is not quoted, a comma or line end starts the next field).
    fn pass_over(&mut self, bytes: &[u8]) {
        let Some(&last) = bytes.last() else {
            return;
        };
        let chars = |b: &[u8]| b.iter().filter(|&&c| c & 0xC0 != 0x80).count() as u64;
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(nl) => {
                self.line += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
                self.column = chars(&bytes[nl + 1..]);
            }
            None => self.column += chars(bytes),
        }
        if matches!(self.state, State::FieldStart | State::Unquoted) {
            self.state = if matches!(last, b',' | b'\r' | b'\n') {
                State::FieldStart
            } else {
                State::Unquoted
            };
        }
    }

    /// Checks that the bytes fed so far end where a file may end.
    pub fn finish(&mut self) -> Result<(), QuoteProblem> {
        if let Some(p) = &self.problem {
            return Err(p.clone());
        }
        if !self.bom_decided {
            // A file that is only a prefix of a byte-order mark: those bytes are text.
            self.replay_bom_prefix()?;
        }
        if self.state == State::Quoted {
            let p = self.at_open_quote(QuoteFault::Truncated);
            self.problem = Some(p.clone());
            return Err(p);
        }
        Ok(())
    }

    /// Consumes the bytes of a byte-order mark at the start of the file; the bytes after it.
    fn skip_bom<'a>(&mut self, bytes: &'a [u8]) -> Result<&'a [u8], QuoteProblem> {
        let mut used = 0;
        while self.bom < BOM.len() && used < bytes.len() {
            if bytes[used] != BOM[self.bom] {
                self.replay_bom_prefix()?;
                return Ok(&bytes[used..]);
            }
            self.bom += 1;
            used += 1;
        }
        self.bom_decided = self.bom == BOM.len();
        Ok(&bytes[used..])
    }

    /// The start of the file matched a byte-order mark only in part: checks those bytes as text.
    fn replay_bom_prefix(&mut self) -> Result<(), QuoteProblem> {
        self.bom_decided = true;
        let held = &BOM[..self.bom];
        for (i, &b) in held.iter().enumerate() {
            self.step(b, &held[i..])?;
        }
        Ok(())
    }

    /// One byte; `rest` is the byte and what follows it in the piece fed (to show a character).
    fn step(&mut self, b: u8, rest: &[u8]) -> Result<(), QuoteProblem> {
        // Columns count characters: every byte but a UTF-8 continuation byte starts one.
        if b & 0xC0 != 0x80 {
            self.column += 1;
        }
        self.state = match (self.state, b) {
            (State::FieldStart, b'"') => {
                self.open_at = (self.line, self.column);
                State::Quoted
            }
            (State::FieldStart | State::Unquoted | State::QuoteInQuoted, b',' | b'\r' | b'\n') => {
                State::FieldStart
            }
            (State::FieldStart | State::Unquoted, _) => State::Unquoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, b'\r' | b'\n') if self.one_line_rows => {
                return Err(self.at_open_quote(QuoteFault::LineBreak));
            }
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::QuoteInQuoted, _) => {
                return Err(QuoteProblem {
                    line: self.line,
                    column: self.column,
                    fault: QuoteFault::TextAfterQuote(shown_char(rest)),
                });
            }
        };
        if b == b'\n' {
            self.line += 1;
            self.column = 0;
        }
        Ok(())
    }

    fn at_open_quote(&self, fault: QuoteFault) -> QuoteProblem {
        QuoteProblem {
            line: self.open_at.0,
            column: self.open_at.1,
            fault,
        }
    }
}

/// The character starting `bytes`, quoted as Rust would (`'x'`), or its byte in hex when it is
/// not UTF-8 (or is cut off at the end of the piece).
fn shown_char(bytes: &[u8]) -> String {
    let len = match bytes.first() {
        Some(b) if *b < 0x80 => 1,
        Some(b) if *b >= 0xF0 => 4,
        Some(b) if *b >= 0xE0 => 3,
        _ => 2,
    };
    match bytes.get(..len).and_then(|c| std::str::from_utf8(c).ok()) {
        Some(s) => format!("{:?}", s.chars().next().unwrap_or_default()),
        None => format!("byte 0x{:02X}", bytes.first().copied().unwrap_or_default()),
    }
}

/// Checks the quotes of a whole file's bytes.
pub fn check_quotes(bytes: &[u8]) -> Result<(), QuoteProblem> {
    let mut c = QuoteCheck::new();
    c.feed(bytes)?;
    c.finish()
}

/// A reader that checks the quotes of everything read through it, for readers that stream. A
/// problem fails the read that meets it (or the read at the end of the input, for a truncated
/// field) with [`io::ErrorKind::InvalidData`]; [`QuoteChecked::problem`] then says what it was.
#[derive(Debug)]
pub struct QuoteChecked<R> {
    inner: R,
    check: QuoteCheck,
    problem: Option<QuoteProblem>,
}

impl<R> QuoteChecked<R> {
    /// `inner` checked with `check` (a [`QuoteCheck::new`], or one with options).
    pub fn new(inner: R, check: QuoteCheck) -> Self {
        QuoteChecked {
            inner,
            check,
            problem: None,
        }
    }

    /// The problem that failed a read, if one did.
    pub fn problem(&self) -> Option<&QuoteProblem> {
        self.problem.as_ref()
    }

    fn fail(&mut self, p: QuoteProblem) -> io::Error {
        self.problem = Some(p.clone());
        io::Error::new(io::ErrorKind::InvalidData, p)
    }
}

impl<R: Read> Read for QuoteChecked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(p) = &self.problem {
            return Err(io::Error::new(io::ErrorKind::InvalidData, p.clone()));
        }
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        let checked = if n == 0 {
            self.check.finish()
        } else {
            self.check.feed(&buf[..n])
        };
        match checked {
            Ok(()) => Ok(n),
            Err(p) => Err(self.fail(p)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> QuoteProblem {
        check_quotes(text.as_bytes()).unwrap_err()
    }

    #[test]
    fn a_file_cut_inside_a_quoted_field_is_refused_at_its_opening_quote() {
        let p = problem("a,b\n1,2\n3,\"cut her");
        assert_eq!((p.line, p.column, &p.fault), (3, 3, &QuoteFault::Truncated));
        // A quoted line break does not end the field; the cut is still found at the quote.
        let p = problem("a,b\n\"x\ny\",2\n3,\"four\nfi");
        assert_eq!((p.line, p.column, &p.fault), (4, 3, &QuoteFault::Truncated));
        // Cut right after an escaped quote, or right after the opening one.
        assert_eq!(problem("a\n\"say \"\"").fault, QuoteFault::Truncated);
        assert_eq!(problem("a\n\"").fault, QuoteFault::Truncated);
    }

    #[test]
    fn text_after_a_closing_quote_is_refused_where_it_starts() {
        let p = problem("a,b\n\"a\"b,1\n");
        assert_eq!(
            (p.line, p.column, &p.fault),
            (2, 4, &QuoteFault::TextAfterQuote("'b'".into()))
        );
        // Columns count characters; a space is text too.
        let p = problem("a,b\né,\"x\" \n");
        assert_eq!((p.line, p.column), (2, 6));
        assert_eq!(p.found(), "' '");
        let p = problem("a\n\"x\"é\n");
        assert_eq!(p.found(), "'é'");
        let p = check_quotes(b"a\n\"x\"\xe9\n").unwrap_err();
        assert_eq!(p.found(), "byte 0xE9");
    }

    #[test]
    fn well_formed_quoting_passes() {
        for ok in [
            "",
            "a,b\n",
            "a,b",
            "name,note\r\n\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nplain,5\" pipe\r\n",
            "a,b\n\"\",\"\"\"\"\n",
            "a,b\n \"x\" ,y\n",
            "a,b\n\"x\"",
            "a\r\"x\"\r\"y\"",
            "\u{feff}\"a\",b\n",
        ] {
            assert_eq!(check_quotes(ok.as_bytes()), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped_only_whole() {
        let p = problem("\u{feff}a,\"b");
        assert_eq!((p.line, p.column), (1, 3));
        // A partial mark is text, so a quote after it is literal.
        assert_eq!(check_quotes(b"\xef\xbb\"a"), Ok(()));
        assert_eq!(check_quotes(b"\xef"), Ok(()));
        // Fed a byte at a time, the same.
        let mut c = QuoteCheck::new();
        for b in "\u{feff}\"a\"x".as_bytes() {
            if c.feed(std::slice::from_ref(b)).is_err() {
                break;
            }
        }
        assert_eq!(c.finish().unwrap_err().column, 4);
    }

    #[test]
    fn one_line_rows_refuse_a_quoted_line_break() {
        let mut c = QuoteCheck::new().one_line_rows();
        let p = c.feed(b"t,i\n1,\"2\n3\"\n").unwrap_err();
        assert_eq!((p.line, p.column, p.fault), (2, 3, QuoteFault::LineBreak));
        let mut c = QuoteCheck::new().one_line_rows();
        assert_eq!(c.feed(b"t,i\r\n1,\"2\"\r\n"), Ok(()));
        assert_eq!(c.finish(), Ok(()));
    }

    #[test]
    fn a_streamed_problem_fails_the_read_and_is_kept() {
        let mut r = QuoteChecked::new(&b"a,b\n1,\"2"[..], QuoteCheck::new());
        let mut out = Vec::new();
        let e = r.read_to_end(&mut out).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert_eq!(r.problem().map(|p| (p.line, p.column)), Some((2, 3)));
        let err = r.problem().unwrap().error(Path::new("x.csv")).to_string();
        assert_eq!(
            err,
            "x.csv:2:3: expected a closing quote before the end of the file, found end of file \
             inside the quoted field that starts here"
        );
        let mut r = QuoteChecked::new(&b"a,b\n1,\"2\"\n"[..], QuoteCheck::new());
        assert!(r.read_to_end(&mut Vec::new()).is_ok());
    }

    /// A field: any text, or text made mostly of the bytes quoting is about.
    fn field() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![any::<String>(), "[a,\"\r\n é]{0,8}"]
    }

    /// Rows written by `csv::Writer` (CRLF line ends), with the byte span of each quoted field
    /// from its opening quote up to its closing quote (exclusive), taken from what the writer
    /// added for that field. The writer closes a quote only when it writes the next comma or line
    /// end, and writes a record of one empty field as `""`.
    fn written(rows: &[Vec<String>]) -> (Vec<u8>, Vec<(usize, usize)>) {
        let mut w = ::csv::WriterBuilder::new()
            .flexible(true)
            .terminator(::csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let mut quoted = Vec::new();
        for row in rows {
            w.flush().unwrap();
            let mut at = w.get_ref().len();
            let first = at;
            for (i, f) in row.iter().enumerate() {
                let start = at + usize::from(i > 0);
                w.write_field(f).unwrap();
                w.flush().unwrap();
                let buf = w.get_ref();
                let is_quoted = buf.get(start) == Some(&b'"');
                if is_quoted {
                    // The writer's quoting, as RFC 4180 has it: the text with `""` for `"`.
                    assert_eq!(&buf[start + 1..], f.replace('"', "\"\"").as_bytes());
                    quoted.push((start, buf.len()));
                } else {
                    assert_eq!(&buf[start..], f.as_bytes());
                }
                at = buf.len() + usize::from(is_quoted);
            }
            w.write_record(None::<&[u8]>).unwrap();
            w.flush().unwrap();
            if w.get_ref()[first..].starts_with(b"\"\"\r\n") && row.len() == 1 {
                quoted.push((first, first + 1));
            }
        }
        (w.into_inner().unwrap(), quoted)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]
        #[test]
        fn written_csv_passes_and_every_cut_or_stray_text_in_a_quoted_field_is_refused(
            rows in proptest::collection::vec(proptest::collection::vec(field(), 1..5), 0..6),
            piece in 1usize..17,
        ) {
            let (bytes, quoted) = written(&rows);
            proptest::prop_assert_eq!(check_quotes(&bytes), Ok(()));
            // Fed in pieces of any size, the same.
            let mut c = QuoteCheck::new();
            for p in bytes.chunks(piece) {
                proptest::prop_assert_eq!(c.feed(p), Ok(()));
            }
            proptest::prop_assert_eq!(c.finish(), Ok(()));
            let text = std::str::from_utf8(&bytes).unwrap();
            for &(_, close) in &quoted {
                // Text right after the closing quote is refused where it starts, fed in pieces.
                let mut bad = bytes.clone();
                bad.insert(close + 1, b'x');
                let mut c = QuoteCheck::new();
                let fed = bad.chunks(piece).try_for_each(|p| c.feed(p)).and_then(|()| c.finish());
                let (line, column) = lodestone_model::line_col(text, close + 1);
                proptest::prop_assert_eq!(
                    fed.map_err(|p| (p.line, p.column, p.fault)),
                    Err((line, column, QuoteFault::TextAfterQuote("'x'".into())))
                );
            }
            for (open, close) in quoted {
                let (line, column) = lodestone_model::line_col(text, open);
                for cut in open + 1..=close {
                    // Between the two quotes of an escaped `""` the cut text ends in a closed
                    // field (`"a""b"` cut to `"a"`): well-formed, and no check can tell.
                    if bytes[open + 1..cut].iter().filter(|&&b| b == b'"').count() % 2 == 1 {
                        continue;
                    }
                    let p = check_quotes(&bytes[..cut]).unwrap_err();
                    proptest::prop_assert_eq!(
                        (p.line, p.column, p.fault),
                        (line, column, QuoteFault::Truncated),
                        "cut at {}", cut
                    );
                }
            }
        }
    }
}
