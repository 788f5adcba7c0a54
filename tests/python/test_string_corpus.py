"""String functions as public code writes them (string_corpus.py): each must run natively and
agree with CPython on value, type, exception and message (`hamming` raises ValueError itself)."""
import pytest

import pyvorin
import string_corpus as corp
from container_testutil import call_both, outcome_diff, why_not_native

IN_CPYTHON = {}


@pytest.fixture
def words_file(tmp_path):
    p = tmp_path / "w.txt"
    p.write_text("a b c\nd e\n\nnaïve café ☕\n", encoding="utf-8")
    return str(p)


CASES = [
    ("is_palindrome", ("A man, a plan, a canal: Panama",)), ("is_palindrome", ("naïve",)),
    ("reverse_words", ("the quick  brown fox",)), ("reverse_words", ("",)),
    ("caesar", ("Hello, World! ñ", 3)), ("caesar", ("xyz", -29)),
    ("vowels", ("Naïve Education",)), ("rle", ("aaabccddddd",)), ("rle", ("",)), ("rle", ("☕☕𝔘",)),
    ("anagram", ("Dormitory", "dirty room")), ("anagram", ("abc", "abd")),
    ("to_roman", (1994,)), ("to_roman", (0,)), ("from_roman", ("MCMXCIV",)), ("from_roman", ("MZ",)),
    ("parse_kv", ("a=1; b = 2;c=x=y;bad",)), ("camel_to_snake", ("camelCaseStringX",)),
    ("wrap", ("the quick brown fox jumps over the lazy dog", 10)), ("wrap", ("", 3)),
    ("char_freq", ("mississippi",)), ("hamming", ("karolin", "kathrin")), ("hamming", ("ab", "abc")),
    ("hamming2", ("karolin", "kathrin")), ("hamming2", ("abc", "ab")), ("title_case", ("hello wORLD  x",)),
    ("table", ([("ann", 3.14159), ("bob", 2.0)],)), ("hexdump", (b"\x00\x7f\xffab",)), ("longest_word", ("a bb ccc dd",)),
    ("strip_comments", (["x = 1  # c", "# only", "", "y"],)), ("zfill_all", ([1, -2, 300], 4)), ("bin_str", (10,)),
    ("bin_str", (-5,)), ("num_parse", ([" 1", "2.5", "3 "],)), ("num_parse", (["x"],)),
    ("fmt_all", (1234.5678, 1234567)), ("fmt_all", (float("nan"), -1)), ("fmt_all", (-0.0, 0)),
    ("startswith_any", (["apple", "banana", "avocado"], ("a", "b"))), ("partition_all", ("a:b:c",)),
    ("partition_all", ("abc",)), ("find_all", ("abcabcab", "ab")), ("find_all", ("aaaa", "")),
    ("encode_len", ("naïve ☕",)), ("encode_len", ("a\0b",)),
    ("parse_ints", ("1 2 -3",)), ("parse_ints", ("1 x",)), ("parse_ints", ("99999999999999999999 1",)),
    ("join_nums", ([1, 2, 3],)), ("join_nums", ([],)), ("sort_ci", (["b", "A", "c", "a"],)), ("longest", (["a", "abc"],)),
    ("longest", ([],)), ("counter", ("hello",)), ("fmt_method", ("x", 42)), ("fmt_kw", ("bob",)), ("percent", (7,)),
    ("words_upper", ("the quick fox a",)), ("first_upper", ("hello",)), ("first_upper", ("",)), ("digits_sum", ("a1b2c3",)),
    ("is_number", ("3.14",)), ("is_number", ("3.1.4",)), ("split_lines", ("a=1\n# c\n\n b = 2 \n",)),
    ("bytes_sum", (b"abc",)), ("char_set", ("hello",)), ("str_mul", ("x", 5)), ("str_mul", ("x", -1)),
    ("enumerate_chars", ("a b",)), ("zip_strs", ("abc", "xyz")), ("in_list", ("cat", ["cat", "dog"])),
    ("in_list", ("The", ["The"])), ("ternary_fmt", (1,)), ("ternary_fmt", (2,)), ("nested_fstr", (3.14159, 8)),
    ("nested_fstr", (-2.5, 3)), ("str_compare", ("abc", "abd")), ("str_compare", ("é", "e")), ("str_index_loop", ("hello ☕",)),
    ("dict_of_lists", (["apple", "avocado", "banana"],)), ("dict_of_lists", (["apple", ""],)), ("rstrip_lines", (["a\n", "b"],)),
    ("top_words", ("The cat, the hat. THE end! a a", 3)), ("acronym", ("Portable Network-Graphics",)),
    ("is_isogram", ("six-year-old",)), ("is_isogram", ("Alphabet",)), ("pig_latin", ("string",)), ("pig_latin", ("apple",)),
    ("pig_latin", ("",)), ("bob", ("WATCH OUT!",)), ("bob", ("  ",)), ("bob", ("How?",)), ("bob", ("ÄÖ?",)),
    ("luhn", ("4539 3195 0343 6467",)), ("luhn", ("8273 1232 7352 0569",)), ("luhn", ("٣٤",)),
    ("atbash", ("Testing, 1 2 3, testing.",)), ("diamond", ("C",)), ("diamond", ("A",)),
    ("word_count", ("Joe can't tell between 'large' and large.",)), ("rotate", ("Hello, World!", 13)),
    ("format_table", (["name", "qty"], [["apple", "3"], ["kiwi", "12"]])), ("slugify", ("Hello, World -- Ünïcode!",)),
    ("parse_csv_line", ('a,"b,c",d',)), ("human_size", (123456789,)), ("human_size", (10**15,)),
    ("matching_brackets", ("{[()]}",)), ("matching_brackets", ("{[)]}",)), ("series", ("49142", 3)), ("series", ("49142", 6)),
]


@pytest.mark.parametrize("name,args", CASES, ids=["%s-%d" % (c[0], i) for i, c in enumerate(CASES)])
def test_corpus_function(name, args, capsys):
    fn = getattr(corp, name)
    jf = pyvorin.jit(fn)
    expected, got, expected_out, got_out, exp_args, got_args = call_both(fn, jf, args, capsys)
    d = outcome_diff(expected, got, exp_args, got_args)
    assert not d, d
    assert expected_out == got_out
    if name in IN_CPYTHON:
        assert IN_CPYTHON[name] in (jf.report.get("fallback") or {}).get("reason", "")
    else:
        assert jf.stats["native_calls"] > 0, why_not_native(jf)


def test_count_words_file(words_file):
    jf = pyvorin.jit(corp.count_words)
    assert jf(words_file) == corp.count_words(words_file) == 8
    assert jf.stats["native_calls"] == 1, why_not_native(jf)
