module hotline

go 1.21
