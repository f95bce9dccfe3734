// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/catalog/bibtex.hpp"

#include <gtest/gtest.h>

namespace cxrcat {
namespace {

constexpr std::string_view k_misc = R"(@misc{osic2020pff,
  title = {{OSIC} Pulmonary Fibrosis Progression},
  organization = {Open Source Imaging Consortium (OSIC)},
  howpublished = {Kaggle competition, \url{https://www.kaggle.com/c/osic-pulmonary-fibrosis-progression}},
  year = {2020}
}
@article{second, title = {Not this one}})";

TEST(Bibtex, ReadsBracedQuotedAndBareFieldsOfTheFirstEntry) {
    EXPECT_EQ(bibtex_field(k_misc, "title"), "OSIC Pulmonary Fibrosis Progression");
    EXPECT_EQ(bibtex_field(k_misc, "howpublished"),
              "Kaggle competition, https://www.kaggle.com/c/osic-pulmonary-fibrosis-progression");
    EXPECT_EQ(bibtex_field(k_misc, "year"), "2020");
    EXPECT_EQ(bibtex_field(k_misc, "author"), std::nullopt);
    EXPECT_EQ(bibtex_field("@article{k, year = 2019, title = \"A {B} c\"}", "year"), "2019");
    EXPECT_EQ(bibtex_field("@article{k, year = 2019, title = \"A {B} c\"}", "title"), "A B c");
}

TEST(Bibtex, FieldNamesMatchWhole) {
    // "title" inside "booktitle" or inside a value is not the title field.
    EXPECT_EQ(bibtex_field("@inproceedings{k, booktitle = {Proc}, note = {title = x}}", "title"), std::nullopt);
}

TEST(Bibtex, TextLineFromAnEntryWithoutAuthors) {
    EXPECT_EQ(bibtex_to_text(k_misc),
              "Open Source Imaging Consortium (OSIC). OSIC Pulmonary Fibrosis Progression. Kaggle competition, "
              "https://www.kaggle.com/c/osic-pulmonary-fibrosis-progression. 2020.");
    EXPECT_EQ(
        bibtex_to_text("@article{k, author = {Doe, J.}, title = {T}, journal = {J}, year = {2001}, doi = {10.1/x}}"),
        "Doe, J. T. J. 2001. doi:10.1/x");
    EXPECT_EQ(bibtex_to_text("not bibtex"), "");
}

} // namespace
} // namespace cxrcat
