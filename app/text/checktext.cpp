#include "app/text/checktext.h"

namespace rw {

std::string checkDetailText(const CheckItem& item, Reader reader)
{
    const bool cli = reader == Reader::CommandLine;
    switch (item.hint) {
    case CheckHint::None:
        break;
    case CheckHint::NeedsPublicKey:
        return item.detail + (cli ? ": give --public-key to check it" : ": choose its public key when verifying to check it");
    case CheckHint::NeedsSourceFiles:
        return item.detail + (cli ? " (--audit-file)" : " (open the audit files it was made from, then verify)");
    }
    return item.detail;
}

} // namespace rw
