// Reads a proxysql.cnf with the real libconfig++ and prints what ProxySQL's config reader would see.
//
//   proxysql_cnf_dump check FILE   exit 0 if libconfig parses FILE, 2 (message on stdout) if not
//   proxysql_cnf_dump dump FILE    one line per value, "path=kind:value"
//
// The lookups mimic ProxySQL (lib/ProxySQL_Config.cpp): *_variables groups are read as bool, then int,
// then string; table rows (lists of groups) as int, then string. A value none of these lookups can read
// is printed as UNREADABLE: ProxySQL would silently lose it. The Java test prints the same format from
// its own parser, so the two parsers are compared value by value.
#include <libconfig.h++>
#include <cstdio>
#include <iostream>
#include <string>

using namespace libconfig;

static std::string escape(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\r') out += "\\r";
        else if (c < 0x20 || c == 0x7f) { char buf[8]; std::snprintf(buf, sizeof buf, "\\x%02x", c); out += buf; }
        else out += static_cast<char>(c);
    }
    return out;
}

static std::string variable(const Setting& group, const char* name) {
    bool b; int i; std::string s;
    if (group.lookupValue(name, b)) return std::string("bool:") + (b ? "true" : "false");
    if (group.lookupValue(name, i)) return "int:" + std::to_string(i);
    if (group.lookupValue(name, s)) return "str:" + escape(s);
    return "UNREADABLE";
}

static std::string column(const Setting& row, const char* name) {
    int i; std::string s;
    if (row.lookupValue(name, i)) return "int:" + std::to_string(i);
    if (row.lookupValue(name, s)) return "str:" + escape(s);
    return "UNREADABLE";
}

int main(int argc, char** argv) {
    if (argc != 3) { std::cerr << "usage: proxysql_cnf_dump check|dump FILE\n"; return 64; }
    std::string mode = argv[1];
    Config cfg;
    try {
        cfg.readFile(argv[2]);
    } catch (const ParseException& e) {
        std::cout << "line " << e.getLine() << ": " << e.getError() << "\n";
        return 2;
    } catch (const FileIOException&) {
        std::cout << "cannot read " << argv[2] << "\n";
        return 3;
    }
    if (mode == "check") return 0;
    const Setting& root = cfg.getRoot();
    for (int t = 0; t < root.getLength(); t++) {
        const Setting& top = root[t];
        std::string name = top.getName();
        if (top.isGroup()) {
            for (int v = 0; v < top.getLength(); v++) {
                const char* child = top[v].getName();
                std::cout << name << "." << child << "=" << variable(top, child) << "\n";
            }
        } else if (top.isList()) {
            for (int r = 0; r < top.getLength(); r++) {
                const Setting& row = top[r];
                if (!row.isGroup()) { std::cout << name << "[" << r << "]=UNREADABLE\n"; continue; }
                for (int c = 0; c < row.getLength(); c++) {
                    const char* col = row[c].getName();
                    std::cout << name << "[" << r << "]." << col << "=" << column(row, col) << "\n";
                }
            }
        } else {
            std::string s;
            std::cout << name << "=" << (root.lookupValue(name.c_str(), s) ? "str:" + escape(s) : "UNREADABLE") << "\n";
        }
    }
    return 0;
}
