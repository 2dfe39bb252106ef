module hotline

go 1.19
