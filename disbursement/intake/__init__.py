"""Reading register and report files: XSD validation, then the rules no schema can express. All or nothing."""
