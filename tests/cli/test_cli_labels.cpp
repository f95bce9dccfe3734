// SPDX-License-Identifier: Apache-2.0
// `cxrcat labels` (issue 20) on the label fixtures of tests/fixtures/labels (README there cites each
// header and trap in labels-facts.md): exact rows, uncertain vs not mentioned, splits, formats, errors.
#include "labels_test.hpp"

namespace cxrcat::test {
namespace {

TEST_F(LabelsTest, NihRowsFromTheElevenFieldHeaderWithOfficialSplitAndNotListedNegative) {
    install("nih-cxr14");
    ProcessResult result = cxrcat({"labels", "nih-cxr14"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(lines(result.out),
              (std::vector<std::string>{
                  k_fixed + "No Finding,Cardiomegaly,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,"
                            "Pleural Effusion,Infiltration,Mass,Nodule,Emphysema,Fibrosis,Pleural Thickening,Hernia",
                  "nih-cxr14,images/00000001_000.png,1,,PA,M,57,train,,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0",
                  "nih-cxr14,images/00000001_001.png,1,,PA,M,58,train,,0,1,0,0,0,0,0,0,0,0,0,1,0,0,0",
                  "nih-cxr14,images/00000002_000.png,2,,PA,M,80,train,,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
                  "nih-cxr14,images/00000003_001.png,3,,PA,F,74,train,,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1",
                  "nih-cxr14,images/00000013_005.png,13,,AP,M,60,test,,0,0,0,0,0,0,1,1,0,0,0,0,0,1,0"}));
    EXPECT_TRUE(contains(result.err, "5 row(s) name an image that is not on disk")) << result.err;
}

TEST_F(LabelsTest, NativeNamesKeepTheDatasetsOwnSpellingAndOrder) {
    install("nih-cxr14");
    ProcessResult result = cxrcat({"labels", "nih-cxr14", "--findings", "native", "--split", "test"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(lines(result.out),
              (std::vector<std::string>{
                  k_fixed + "Atelectasis,Cardiomegaly,Consolidation,Edema,Effusion,Emphysema,Fibrosis,Hernia,"
                            "Infiltration,Mass,Nodule,Pleural_Thickening,Pneumonia,Pneumothorax,No Finding",
                  "nih-cxr14,images/00000013_005.png,13,,AP,M,60,test,,0,0,0,0,1,0,0,0,0,0,0,1,0,1,0"}));
}

TEST_F(LabelsTest, ChexpertKeepsUncertainApartFromNotMentionedAndStripsTheReleasePrefix) {
    install("chexpert");
    ProcessResult result = cxrcat({"labels", "chexpert"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(
        lines(result.out),
        (std::vector<std::string>{
            k_fixed + "No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Lesion,Lung Opacity,Edema,"
                      "Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,"
                      "Fracture,Support Devices",
            "chexpert,train/patient00001/study1/view1_frontal.jpg,patient00001,patient00001/study1,AP,F,68,train,,"
            "1,,,,,,,,,0,,,,1",
            "chexpert,train/patient00002/study2/view1_frontal.jpg,patient00002,patient00002/study2,AP,F,87,train,,"
            ",,-1,,1,-1,-1,,-1,,-1,,1,",
            "chexpert,train/patient00002/study2/view2_lateral.jpg,patient00002,patient00002/study2,LATERAL,F,87,"
            "train,,,,,,1,,,,,,,,,",
            "chexpert,train/patient00003/study1/view1_frontal.jpg,patient00003,patient00003/study1,LL,,0,train,,"
            ",,,,,1,,,,0,,,,",
            "chexpert,valid/patient64541/study1/view1_frontal.jpg,patient64541,patient64541/study1,PA,M,73,"
            "validate,,0,1,1,0,1,0,0,0,0,0,0,0,0,0"}));
}

TEST_F(LabelsTest, MimicJoinsStudyLabelsOntoImagesFromGzippedTables) {
    install_mimic();
    ProcessResult result = cxrcat({"labels", "mimic-cxr-jpg"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    std::vector<std::string> rows = lines(result.out);
    ASSERT_EQ(rows.size(), 5U) << result.out;
    EXPECT_EQ(rows[1], "mimic-cxr-jpg,files/p10/p10000032/s50414267/02aa804e-bde0afdd-112c0b34-7bc16630-4e384014.jpg,"
                       "10000032,50414267,PA,,,train,,1,,,,,,,,,,,,,");
    EXPECT_EQ(rows[2], "mimic-cxr-jpg,files/p10/p10000032/s50414267/174413ec-4ec4c1f7-34ea26b7-c5f994f8-79ef1962.jpg,"
                       "10000032,50414267,LATERAL,,,train,,1,,,,,,,,,,,,,");
    // The empty ViewPosition stays empty; uncertain Pneumonia stays -1.
    EXPECT_EQ(rows[4], "mimic-cxr-jpg,files/p10/p10000764/s57375967/e084de3b-be89b11e-20fe3f9f-9c8d8dfe-4cfd202c.jpg,"
                       "10000764,57375967,,,,test,,,,,,,,1,-1,,1,,,,");
}

TEST_F(LabelsTest, MimicSelectsByViewAndFinding) {
    install_mimic();
    ProcessResult pa = cxrcat({"labels", "mimic-cxr-jpg", "--view", "PA", "--format", "jsonl"});
    ASSERT_EQ(pa.exit_code, 0) << pa.describe();
    std::vector<std::string> rows = lines(pa.out);
    ASSERT_EQ(rows.size(), 2U) << pa.out;
    for (const std::string& row : rows) {
        EXPECT_EQ(nlohmann::json::parse(row)["view"], "PA");
    }
    ProcessResult pneumothorax = cxrcat({"labels", "mimic-cxr-jpg", "--where", "finding.pneumothorax=1"});
    ASSERT_EQ(pneumothorax.exit_code, 0) << pneumothorax.describe();
    ASSERT_EQ(lines(pneumothorax.out).size(), 2U) << pneumothorax.out;
    EXPECT_TRUE(contains(lines(pneumothorax.out)[1], "e084de3b-be89b11e-20fe3f9f-9c8d8dfe-4cfd202c"));
    ProcessResult none = cxrcat({"labels", "mimic-cxr-jpg", "--where", "finding.Pneumothorax=none", "--view", "PA"});
    EXPECT_EQ(lines(none.out).size(), 3U) << none.describe();
}

TEST_F(LabelsTest, MimicRadiologistTestSetIsKeyedByStudyAloneAndSpellsAirspaceOpacity) {
    install_mimic();
    ProcessResult result = cxrcat({"labels", "mimic-cxr-jpg", "--where", "labeler=radiologist", "--split", "test"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(lines(result.out).at(1),
              "mimic-cxr-jpg,files/p10/p10000764/s57375967/e084de3b-be89b11e-20fe3f9f-9c8d8dfe-4cfd202c.jpg,"
              "10000764,57375967,,,,test,,,,,,1,,1,-1,,1,0,,,");
}

TEST_F(LabelsTest, NlmTuberculosisFromTheFileNameAndAgeAndSexFromFreeTextReadings) {
    install("montgomery");
    touch("montgomery", {"MontgomerySet/CXR_png/MCUCXR_0001_0.png", "MontgomerySet/CXR_png/MCUCXR_0104_1.png"});
    install("shenzhen");
    touch("shenzhen", {"ChinaSet_AllFiles/CXR_png/CHNCXR_0001_0.png", "ChinaSet_AllFiles/CXR_png/CHNCXR_0002_0.png",
                       "ChinaSet_AllFiles/CXR_png/CHNCXR_0003_0.png", "ChinaSet_AllFiles/CXR_png/CHNCXR_0327_1.png"});
    ProcessResult result = cxrcat({"labels", "montgomery", "shenzhen"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(lines(result.out),
              (std::vector<std::string>{
                  k_fixed + "Tuberculosis", "montgomery,MontgomerySet/CXR_png/MCUCXR_0001_0.png,MCUCXR_0001,,,F,27,,,0",
                  "montgomery,MontgomerySet/CXR_png/MCUCXR_0104_1.png,MCUCXR_0104,,,,45,,,1",
                  "shenzhen,ChinaSet_AllFiles/CXR_png/CHNCXR_0001_0.png,CHNCXR_0001,,,F,32,,,0",
                  "shenzhen,ChinaSet_AllFiles/CXR_png/CHNCXR_0002_0.png,CHNCXR_0002,,,M,1,,,0",
                  "shenzhen,ChinaSet_AllFiles/CXR_png/CHNCXR_0003_0.png,CHNCXR_0003,,,F,24,,,0",
                  "shenzhen,ChinaSet_AllFiles/CXR_png/CHNCXR_0327_1.png,CHNCXR_0327,,,M,29,,,1"}));
    EXPECT_FALSE(contains(result.err, "not on disk")) << result.err;
}

TEST_F(LabelsTest, FindingsADatasetDoesNotAssessStayEmptyBesideAnotherDatasets) {
    install("nih-cxr14");
    install("montgomery");
    touch("montgomery", {"MontgomerySet/CXR_png/MCUCXR_0001_0.png"});
    ProcessResult result = cxrcat({"labels", "montgomery", "nih-cxr14", "--format", "jsonl"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    std::vector<std::string> rows = lines(result.out);
    ASSERT_EQ(rows.size(), 6U);
    nlohmann::json tb = nlohmann::json::parse(rows[0]);
    EXPECT_EQ(tb["Tuberculosis"], 0);
    EXPECT_TRUE(tb["Cardiomegaly"].is_null());
    nlohmann::json nih = nlohmann::json::parse(rows[1]);
    EXPECT_TRUE(nih["Tuberculosis"].is_null());
    EXPECT_EQ(nih["Cardiomegaly"], 1);
    EXPECT_EQ(nlohmann::ordered_json::parse(rows[1]).begin().key(), "dataset"); // keys in column order
}

TEST_F(LabelsTest, PatientSplitIsStableAndNeverSplitsAPatient) {
    install("chexpert");
    std::vector<std::string> args{"labels", "chexpert", "--split-by", "patient", "--seed", "7", "--override-official"};
    ProcessResult first = cxrcat(args);
    ProcessResult second = cxrcat(args);
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    EXPECT_EQ(first.out, second.out);
    std::map<std::string, std::string> split_of_patient;
    for (const std::string& row : lines(first.out)) {
        std::vector<std::string> fields;
        std::istringstream in(row);
        for (std::string field; std::getline(in, field, ',');) {
            fields.push_back(field);
        }
        if (fields[0] == "dataset") {
            continue;
        }
        auto [entry, fresh] = split_of_patient.emplace(fields[2], fields[7]);
        EXPECT_EQ(entry->second, fields[7]) << "patient " << fields[2] << " is in two splits";
        EXPECT_TRUE(fields[7] == "train" || fields[7] == "validate" || fields[7] == "test") << row;
    }
    ProcessResult all_test = cxrcat(
        {"labels", "chexpert", "--split-by", "patient", "--ratios", "0,0,1", "--override-official", "--split", "test"});
    EXPECT_EQ(lines(all_test.out).size(), 6U) << all_test.describe();
    // Without --override-official the official split stays.
    ProcessResult official = cxrcat({"labels", "chexpert", "--split-by", "patient", "--ratios", "0,0,1"});
    EXPECT_EQ(lines(official.out).back().find(",validate,") != std::string::npos, true) << official.out;
}

TEST_F(LabelsTest, MonaiDatalistAndHuggingFaceMetadata) {
    install("montgomery");
    touch("montgomery", {"MontgomerySet/CXR_png/MCUCXR_0001_0.png", "MontgomerySet/CXR_png/MCUCXR_0104_1.png"});
    ProcessResult monai = cxrcat({"labels", "montgomery", "--format", "monai"});
    ASSERT_EQ(monai.exit_code, 0) << monai.describe();
    nlohmann::json datalist = nlohmann::json::parse(monai.out);
    ASSERT_EQ(datalist["training"].size(), 2U);
    EXPECT_TRUE(datalist["validation"].empty());
    EXPECT_EQ(datalist["training"][1]["image"],
              (dataset_dir("montgomery") / "MontgomerySet/CXR_png/MCUCXR_0104_1.png").string());
    EXPECT_EQ(datalist["training"][1]["label"], nlohmann::json::array({1}));
    ProcessResult hf = cxrcat({"labels", "montgomery", "--format", "hf", "-o", (m_dir / "metadata.jsonl").string()});
    ASSERT_EQ(hf.exit_code, 0) << hf.describe();
    EXPECT_TRUE(hf.out.empty());
    std::vector<std::string> rows = lines(read_text_file(m_dir / "metadata.jsonl"));
    ASSERT_EQ(rows.size(), 2U);
    nlohmann::json first = nlohmann::json::parse(rows[0]);
    EXPECT_EQ(nlohmann::ordered_json::parse(rows[0]).begin().key(), "file_name");
    EXPECT_EQ(first["file_name"], "MontgomerySet/CXR_png/MCUCXR_0001_0.png");
    EXPECT_EQ(first["Tuberculosis"], 0);
}

TEST_F(LabelsTest, RequireImagesDropsRowsWhoseImageIsMissing) {
    install("nih-cxr14");
    touch("nih-cxr14", {"images/00000002_000.png"});
    ProcessResult result = cxrcat({"labels", "nih-cxr14", "--require-images", "--absolute"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    ASSERT_EQ(lines(result.out).size(), 2U) << result.out;
    EXPECT_TRUE(contains(lines(result.out)[1], (dataset_dir("nih-cxr14") / "images/00000002_000.png").string()));
    EXPECT_TRUE(contains(result.err, "4 row(s) name an image that is not on disk")) << result.err;
}

TEST_F(LabelsTest, MissingLabelFilesAreExit7NamingThemAndTheFetchThatGetsThem) {
    install("nih-cxr14");
    std::filesystem::remove(dataset_dir("nih-cxr14") / "test_list.txt");
    ProcessResult result = cxrcat({"labels", "nih-cxr14"});
    EXPECT_EQ(result.exit_code, 7) << result.describe();
    EXPECT_TRUE(result.out.empty()) << result.out;
    EXPECT_TRUE(contains(result.err, "label files not installed")) << result.err;
    EXPECT_TRUE(contains(result.err, "test_list.txt")) << result.err;
    EXPECT_TRUE(contains(result.err, "cxrcat fetch nih-cxr14 --include 'test_list.txt'")) << result.err;
}

TEST_F(LabelsTest, AFileThatDoesNotParseIsExit5NamingFileLineAndWhatWasExpected) {
    install("nih-cxr14");
    std::filesystem::path entries = dataset_dir("nih-cxr14") / "Data_Entry_2017_v2020.csv";
    std::string text = read_text_file(entries);
    write_text_file(entries, text + "00000099_000.png,Nodule,0,99,40,F,PA,2500,2048,0.171\n");
    ProcessResult short_row = cxrcat({"labels", "nih-cxr14", "-o", (m_dir / "out.csv").string()});
    EXPECT_EQ(short_row.exit_code, 5) << short_row.describe();
    EXPECT_TRUE(contains(short_row.err, "Data_Entry_2017_v2020.csv:7: expected 11 fields as in the header, got 10"))
        << short_row.err;
    EXPECT_FALSE(std::filesystem::exists(m_dir / "out.csv")) << "a failed run left a half table";
    write_text_file(entries, text + "00000099_000.png,Nodules,0,99,40,F,PA,2500,2048,0.171,0.171\n");
    ProcessResult unknown = cxrcat({"labels", "nih-cxr14"});
    EXPECT_EQ(unknown.exit_code, 5) << unknown.describe();
    EXPECT_TRUE(contains(unknown.err, ":7: finding \"Nodules\" is not in the catalog's label map")) << unknown.err;
}

TEST_F(LabelsTest, UsageErrorsNameTheValidChoices) {
    install("nih-cxr14");
    ProcessResult field = cxrcat({"labels", "nih-cxr14", "--where", "colour=red"});
    EXPECT_EQ(field.exit_code, 2) << field.describe();
    EXPECT_TRUE(contains(field.err, "fields: view, split, sex, finding.NAME")) << field.err;
    ProcessResult finding = cxrcat({"labels", "nih-cxr14", "--where", "finding.Fracture=1"});
    EXPECT_EQ(finding.exit_code, 2) << finding.describe();
    EXPECT_TRUE(contains(finding.err, "findings: No Finding, Cardiomegaly")) << finding.err;
    ProcessResult labeler = cxrcat({"labels", "nih-cxr14", "--labeler", "negbio"});
    EXPECT_EQ(labeler.exit_code, 2) << labeler.describe();
    EXPECT_EQ(cxrcat({"labels", "no-such-dataset"}).exit_code, 3);
}

TEST_F(LabelsTest, ListFindingsNamesTheDatasetsAndTheirOwnSpelling) {
    ProcessResult result = cxrcat({"labels", "--list-findings"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_TRUE(contains(result.out, "Pleural Effusion\tchexpert, mimic-cxr-jpg, nih-cxr14 (Effusion), padchest "
                                     "(pleural effusion), vindr-cxr (Pleural effusion)\n"))
        << result.out;
    EXPECT_TRUE(contains(result.out, "Lung Opacity\tchexpert, mimic-cxr-jpg, mimic-cxr-jpg (Airspace Opacity), "
                                     "rsna-pneumonia, vindr-cxr\n"));
    EXPECT_TRUE(contains(result.out, "Fracture\tchexpert, mimic-cxr-jpg, vindr-cxr (Clavicle fracture), vindr-cxr "
                                     "(Rib fracture)\n"));
    EXPECT_EQ(lines(result.out).front(),
              "No Finding\tchexpert, mimic-cxr-jpg, nih-cxr14, padchest (normal), rsna-pneumonia (Normal), vindr-cxr "
              "(No finding)");
}

TEST_F(LabelsTest, VindrReadersPolicyDecidesWhenThreeReadersMakeAPositive) {
    install("vindr-cxr");
    auto rows_with = [&](const std::string& policy) {
        ProcessResult result = cxrcat({"labels", "vindr-cxr", "--readers", policy, "--format", "jsonl"});
        EXPECT_EQ(result.exit_code, 0) << result.describe();
        std::vector<nlohmann::json> rows;
        for (const std::string& line : lines(result.out)) {
            rows.push_back(nlohmann::json::parse(line));
        }
        return rows;
    };
    std::vector<nlohmann::json> any = rows_with("any");
    ASSERT_EQ(any.size(), 3U);
    EXPECT_EQ(any[0]["image"], "train/000434271f63a053c4128a0ba6352c7f.dicom");
    EXPECT_EQ(any[0]["split"], "train");
    EXPECT_EQ(any[0]["Cardiomegaly"], 1); // two of three readers
    EXPECT_EQ(any[0]["No Finding"], 1);   // one of three
    EXPECT_EQ(any[0]["Pneumothorax"], 0); // assessed, not marked: negative, not empty
    EXPECT_EQ(any[1]["Pneumothorax"], 1);
    EXPECT_EQ(any[1]["Other Disease"], 1); // train's "Other diseases"
    // The test set's one consensus row; "Rib fracture" counts as Fracture, "Other disease" as Other Disease.
    EXPECT_EQ(any[2]["image"], "test/002a34c58c5b758217ed1f584ccbcfe9.dicom");
    EXPECT_EQ(any[2]["split"], "test");
    EXPECT_EQ(any[2]["Fracture"], 1);
    EXPECT_EQ(any[2]["Other Disease"], 1);
    std::vector<nlohmann::json> majority = rows_with("majority");
    EXPECT_EQ(majority[0]["Cardiomegaly"], 1);
    EXPECT_EQ(majority[0]["No Finding"], 0);
    EXPECT_EQ(majority[1]["Pneumothorax"], 0);
    std::vector<nlohmann::json> all = rows_with("all");
    EXPECT_EQ(all[0]["Cardiomegaly"], 0);
    EXPECT_EQ(all[2]["Fracture"], 1); // one reader row: all of it
}

TEST_F(LabelsTest, RsnaOneRowPerImageFromTargetAndClassWithItsNihSourceAndOverlap) {
    install("rsna-pneumonia");
    ProcessResult alone = cxrcat({"labels", "rsna-pneumonia"});
    ASSERT_EQ(alone.exit_code, 0) << alone.describe();
    EXPECT_EQ(lines(alone.out),
              (std::vector<std::string>{
                  k_fixed + "No Finding,Lung Opacity",
                  "rsna-pneumonia,stage_2_train_images/0004cfab-14fd-4e49-80ba-63a80b6bddd6.dcm,1,,,,,train,"
                  "nih-cxr14:00000001_000.png,0,0",
                  "rsna-pneumonia,stage_2_train_images/003d8fa0-6bf1-40ed-b54c-ac657f8495c5.dcm,,,,,,train,,1,0",
                  "rsna-pneumonia,stage_2_train_images/00436515-870c-4b36-a041-de91049b9ab4.dcm,13,,,,,train,"
                  "nih-cxr14:00000013_005.png,0,1"}));
    install("nih-cxr14");
    ProcessResult both = cxrcat({"labels", "nih-cxr14", "rsna-pneumonia"});
    ASSERT_EQ(both.exit_code, 0) << both.describe();
    EXPECT_EQ(lines(both.out).size(), 9U);
    EXPECT_TRUE(contains(both.err, "2 row(s) are images of a dataset named earlier")) << both.err;
    EXPECT_TRUE(contains(both.err, "rsna-pneumonia and nih-cxr14 share images")) << both.err;
    ProcessResult dropped = cxrcat({"labels", "nih-cxr14", "rsna-pneumonia", "--drop-overlap"});
    ASSERT_EQ(dropped.exit_code, 0) << dropped.describe();
    EXPECT_EQ(lines(dropped.out).size(), 7U);
    EXPECT_FALSE(contains(dropped.out, "00436515-870c-4b36-a041-de91049b9ab4")) << dropped.out;
}

TEST_F(LabelsTest, SiimReadsTheLeadingSpaceColumnAndOneRowPerImage) {
    install("siim-acr-pneumothorax");
    const std::string nested = "dicom-images-train/1.2.276.0.7230010.3.1.2.8323329.12515.1517875239.501136/"
                               "1.2.276.0.7230010.3.1.3.8323329.12515.1517875239.501135/"
                               "1.2.276.0.7230010.3.1.4.8323329.12515.1517875239.501137.dcm";
    touch("siim-acr-pneumothorax", {nested});
    ProcessResult result = cxrcat({"labels", "siim-acr-pneumothorax"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(lines(result.out),
              (std::vector<std::string>{
                  k_fixed + "Pneumothorax", "siim-acr-pneumothorax," + nested + ",,,,,,train,,1",
                  "siim-acr-pneumothorax,dicom-images-train/1.2.276.0.7230010.3.1.4.8323329.4904.1517875185.355709.dcm"
                  ",,,,,,train,,0",
                  "siim-acr-pneumothorax,dicom-images-train/1.2.276.0.7230010.3.1.4.8323329.5597.1517875188.959090.dcm"
                  ",,,,,,train,,0"}));
}

TEST_F(LabelsTest, RanzcrCatheterColumnsAndPatientIds) {
    install("ranzcr-clip");
    ProcessResult result = cxrcat({"labels", "ranzcr-clip", "--where", "finding.NGT - Incompletely Imaged=1"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(lines(result.out),
              (std::vector<std::string>{
                  k_fixed + "ETT - Abnormal,ETT - Borderline,ETT - Normal,NGT - Abnormal,NGT - Borderline,"
                            "NGT - Incompletely Imaged,NGT - Normal,CVC - Abnormal,CVC - Borderline,CVC - Normal,"
                            "Swan Ganz Catheter Present",
                  "ranzcr-clip,train/1.2.826.0.1.3680043.8.498.46302891597398758759818628675365157729.jpg,bf4c6da3c,"
                  "1.2.826.0.1.3680043.8.498.46302891597398758759818628675365157729,,,,train,,0,0,1,0,0,1,0,0,0,1,0"}));
}

TEST_F(LabelsTest, PadchestListLiteralsMatchNamesExactlyAndKeepTheLabelMethod) {
    install("padchest");
    // The fixture's ..._04-014-084.png and ..._00-196-188.png are in the catalog's errata (TorchXRayVision's
    // missing files): kept here to show every row as parsed, dropped by default (below).
    ProcessResult result = cxrcat({"labels", "padchest", "--keep-errata"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    const std::string a = "216840111366964012819207061112010307142602253_04-014-08";
    const std::string b = "216840111366964013076187734852011291090445391_00-196-18";
    // "breast mass" is not Mass (no substring match); a null Labels cell mentions nothing; a float
    // ImageDir "3.0" is folder 3; age is the study year minus the birth year.
    EXPECT_EQ(lines(result.out),
              (std::vector<std::string>{
                  k_fixed + "label_method,No Finding,Cardiomegaly,Consolidation,Pleural Effusion,Infiltration,Mass,"
                            "Fibrosis,Pleural Thickening",
                  "padchest,0/" + a + "4.png,p-001,s-001,PA,M,82,,,Physician,0,1,0,1,0,0,0,0",
                  "padchest,12/" + a + "5.png,p-002,s-002,LATERAL,F,40,,,Physician,1,0,0,0,0,0,0,0",
                  "padchest,3/" + b + "8.png,p-003,s-003,,,,,,Physician,0,0,0,0,0,1,0,1",
                  "padchest,3/" + b + "9.png,p-003,s-003,AP_HORIZONTAL,,,,,Physician,,,,,,,,"}));

    ProcessResult dropped = cxrcat({"labels", "padchest"});
    ASSERT_EQ(dropped.exit_code, 0) << dropped.describe();
    std::vector<std::string> rows = lines(dropped.out);
    ASSERT_EQ(rows.size(), 3U) << dropped.out;
    EXPECT_TRUE(rows[1].starts_with("padchest,12/" + a + "5.png,")) << rows[1];
    EXPECT_TRUE(rows[2].starts_with("padchest,3/" + b + "9.png,")) << rows[2];
    EXPECT_TRUE(contains(dropped.err, "2 row(s) name an image the catalog lists as an erratum")) << dropped.err;
}

TEST_F(LabelsTest, PadchestLabelsThatAreNotAListLiteralAreExit5NamingTheLine) {
    std::filesystem::path dir = install("padchest");
    std::filesystem::path file = dir / "PADCHEST_chest_x_ray_images_labels_160K_01.02.19.csv";
    std::string text = read_text_file(file);
    std::size_t at = text.find("['normal']");
    ASSERT_NE(at, std::string::npos);
    write_text_file(file, text.replace(at, 10, "['normal'"));
    ProcessResult result = cxrcat({"labels", "padchest"});
    EXPECT_EQ(result.exit_code, 5) << result.describe();
    EXPECT_TRUE(contains(result.err, "PADCHEST_chest_x_ray_images_labels_160K_01.02.19.csv")) << result.err;
    EXPECT_TRUE(contains(result.err, ".csv:3: Labels:")) << result.err;
    EXPECT_TRUE(contains(result.err, "Python list literal")) << result.err;
}

TEST_F(LabelsTest, RowsOfUnusableErrataAreDroppedAndCountedUnlessKeepErrata) {
    install("nih-cxr14");
    // A test catalog: the errata model of issue 21 §2 over the fixture's images. Errata match trailing
    // path components (find_erratum); a mislabelled image still opens, so its row stays.
    nlohmann::json nih = builtin_entry("nih-cxr14");
    nih["errata"] = {{{"path", "00000001_000.png"}, {"problem", "truncated"}, {"source", "test catalog"}},
                     {{"path", "images/00000003_001.png"}, {"problem", "not-an-image"}, {"source", "test catalog"}},
                     {{"path", "00000002_000.png"}, {"problem", "mislabelled"}, {"source", "test catalog"}}};
    write_text_file(m_dir / "lab" / "nih-cxr14.json", nih.dump(2));
    const std::string catalog = (m_dir / "lab").string();

    ProcessResult dropped = cxrcat({"--catalog", catalog, "labels", "nih-cxr14", "--findings", "native"});
    ASSERT_EQ(dropped.exit_code, 0) << dropped.describe();
    std::vector<std::string> rows = lines(dropped.out);
    ASSERT_EQ(rows.size(), 4U) << dropped.out;
    EXPECT_TRUE(rows[1].starts_with("nih-cxr14,images/00000001_001.png,")) << rows[1];
    EXPECT_TRUE(rows[2].starts_with("nih-cxr14,images/00000002_000.png,")) << rows[2];
    EXPECT_TRUE(rows[3].starts_with("nih-cxr14,images/00000013_005.png,")) << rows[3];
    EXPECT_TRUE(contains(dropped.err, "2 row(s) name an image the catalog lists as an erratum")) << dropped.err;
    EXPECT_TRUE(contains(dropped.err, "dropped (--keep-errata keeps them)")) << dropped.err;
    EXPECT_TRUE(contains(dropped.err, "3 row(s) name an image that is not on disk")) << dropped.err;

    ProcessResult kept = cxrcat({"--catalog", catalog, "labels", "nih-cxr14", "--keep-errata"});
    ASSERT_EQ(kept.exit_code, 0) << kept.describe();
    EXPECT_EQ(lines(kept.out).size(), 6U) << kept.out;
    EXPECT_TRUE(contains(kept.err, "2 row(s) name an image the catalog lists as an erratum")) << kept.err;
    EXPECT_TRUE(contains(kept.err, "kept (--keep-errata)")) << kept.err;
}

TEST_F(LabelsTest, FetchWhereOnADatasetShippedInArchivesPlansItsArchivesNotPerImageUrls) {
    install("nih-cxr14");
    ProcessResult result = cxrcat(
        {"fetch", "nih-cxr14", "--accept-terms", "--dry-run", "--format", "json", "--where", "finding.Pneumothorax=1"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    // The catalog does not say which of the 12 archives holds 00000013_005.png: each may.
    EXPECT_TRUE(contains(result.err, "the labels select 1 image(s); they come inside 12 archive(s)")) << result.err;
    nlohmann::json files = nlohmann::json::parse(result.out)["plans"][0]["files"];
    ASSERT_EQ(files.size(), 12U) << result.out;
    for (const auto& file : files) {
        EXPECT_TRUE(file["path"].get<std::string>().ends_with(".tar.gz")) << file.dump();
        EXPECT_TRUE(file["extract"].get<bool>()) << file.dump();
    }
}

TEST_F(LabelsTest, FetchWhereOnPadchestSaysTheCatalogNamesNoZipBeforeAnyRequest) {
    // labels-facts.md §2: PadChest's ImageDir names the zip of each image, but the catalog lists none.
    ProcessResult result =
        cxrcat({"fetch", "padchest", "--accept-terms", "--dry-run", "--where", "finding.Pleural Effusion=1"});
    EXPECT_EQ(result.exit_code, 2) << result.describe();
    EXPECT_TRUE(contains(result.err, "the catalog names no archive that holds them")) << result.err;
    EXPECT_TRUE(contains(result.err, "cxrcat labels padchest --where")) << result.err;
}

} // namespace
} // namespace cxrcat::test
